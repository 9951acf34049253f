"""Migration 0004 turns each service's fixed pair ("full", "count") into its measures, and back."""

import pytest

from ..report.helpers import migrate, migrated_back_from

# Transactional: the migration changes the schema, which SQLite will not do inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)
BEFORE, AFTER = [("indicators", "0003_indicator_on_dashboard")], [("indicators", "0004_measures")]


@pytest.fixture
def before():
    """The database as 0003 left it; put back to the latest migration afterwards."""
    yield from migrated_back_from(BEFORE)


def codes(service):
    return [measure.code for measure in service.measures.order_by("order", "code")]


def test_full_services_get_the_four_measures_and_counted_ones_the_count_then_come_back(before):
    old = before.get_model("indicators", "Service").objects
    old.create(code="DVC01", name="Đăng ký thường trú", measures="full")
    old.create(code="DVC10", name="Đăng ký cấp biển số xe mô tô, xe gắn máy", measures="count")

    apps = migrate(AFTER)
    services = apps.get_model("indicators", "Service").objects
    assert codes(services.get(code="DVC01")) == ["received", "online", "resolved", "on_time"]
    assert codes(services.get(code="DVC10")) == ["count"]
    measures = {measure.code: measure for measure in apps.get_model("indicators", "Measure").objects.all()}
    assert set(measures) == {"received", "online", "resolved", "on_time", "count"}
    assert (measures["online"].part_of.code, measures["on_time"].part_of.code) == ("received", "resolved")
    assert (measures["received"].label, measures["count"].label) == ("Tiếp nhận", "Số lượng")

    back = migrate(BEFORE).get_model("indicators", "Service").objects
    assert dict(back.values_list("code", "measures")) == {"DVC01": "full", "DVC10": "count"}
