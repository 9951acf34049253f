"""PC06 keeps the measures services report in the admin; an edit that would break a cell key or a bound is refused."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from indicators.models import Measure, Service

from .. import conftest

pytestmark = pytest.mark.django_db


@pytest.fixture
def compiler(client, people):
    client.login(username="compiler", password=conftest.PASSWORD)
    return client


def measure_form(measure, **changes):
    data = {"code": measure.code, "label": measure.label, "definition": measure.definition,
            "part_of": measure.part_of_id or "", "order": measure.order, "source": measure.source}
    if measure.cumulative:
        data["cumulative"] = "on"
    data.update(changes)
    return data


def service_form(**changes):
    data = {"code": "DVC46", "name": "Cấp phiếu lý lịch tư pháp", "service_list": "", "sector": "", "count_unit": "hồ sơ",
            "reporter_kind": "", "aliases": "", "order": 46, "is_active": "on", "source": ""}
    data.update(changes)
    return data


def test_a_measure_code_with_a_dot_is_refused_for_it_ends_a_cell_key(compiler):
    response = compiler.post(reverse("admin:indicators_measure_add"), measure_form(
        Measure(code="tiep.nhan", label="Tiếp nhận (khác)", order=9)))
    assert "Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới (_)." in response.content.decode()
    assert not Measure.objects.filter(label="Tiếp nhận (khác)").exists()
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.create(code="tiep.nhan", label="Tiếp nhận (khác)")


def test_a_measure_may_not_take_the_code_of_a_services_remark(compiler):
    """dvc.<SERVICE>.note is the unit's remark on the service ("Khó khăn, vướng mắc"), a text."""
    response = compiler.post(reverse("admin:indicators_measure_add"), measure_form(
        Measure(code="note", label="Ghi chú", order=9)))
    assert "Mã “note” dành cho ô “Khó khăn, vướng mắc” của dịch vụ; chọn mã khác." in response.content.decode()
    assert not Measure.objects.filter(code="note").exists()


def test_a_measure_cannot_be_a_part_of_itself(compiler):
    received, = conftest.measures("received")
    response = compiler.post(reverse("admin:indicators_measure_change", args=[received.pk]),
                             measure_form(received, part_of=received.pk))
    assert "Chỉ tiêu không thể là một phần của chính nó." in response.content.decode()
    received.refresh_from_db()
    assert received.part_of is None
    with pytest.raises(IntegrityError), transaction.atomic():
        Measure.objects.filter(pk=received.pk).update(part_of=received)


def test_measures_cannot_be_parts_of_each_other(compiler):
    received, online = conftest.measures("received", "online")   # online is a part of received
    response = compiler.post(reverse("admin:indicators_measure_change", args=[received.pk]),
                             measure_form(received, part_of=online.pk))
    assert "các chỉ tiêu sẽ là một phần của nhau (Tiếp nhận → Trực tuyến → Tiếp nhận)" in response.content.decode()
    received.refresh_from_db()
    assert received.part_of is None


def test_a_new_measure_may_be_a_part_of_an_existing_one():
    received, = conftest.measures("received")
    kiosk = Measure(code="kiosk", label="Qua ki-ốt", part_of=received, order=9)
    kiosk.full_clean()
    kiosk.save()
    assert list(received.parts.order_by("code").values_list("code", flat=True)) == ["direct", "kiosk", "online"]


def test_the_admin_refuses_a_service_with_no_measure(compiler):
    response = compiler.post(reverse("admin:indicators_service_add"), service_form())
    assert "Dịch vụ phải có ít nhất một chỉ tiêu báo cáo (ví dụ: Tiếp nhận, hoặc Số lượng)." in response.content.decode()
    assert not Service.objects.filter(code="DVC46").exists()

    chosen = conftest.measures("received", "online")
    response = compiler.post(reverse("admin:indicators_service_add"),
                             service_form(measures=[measure.pk for measure in chosen]))
    assert response.status_code == 302
    assert list(Service.objects.get(code="DVC46").measures.all()) == chosen


def test_the_measures_admin_speaks_vietnamese(compiler):
    conftest.measures("received")
    page = compiler.get(reverse("admin:indicators_measure_changelist")).content.decode()
    assert "chỉ tiêu báo cáo của dịch vụ công" in page.lower() and "Lũy kế đến nay" in page
    form = compiler.get(reverse("admin:indicators_measure_add")).content.decode()
    for label in ("Tên cột", "Định nghĩa", "Là một phần của"):
        assert label in form


def test_a_measure_services_report_cannot_be_deleted(compiler):
    on_time, direct = conftest.measures("on_time", "direct")
    Service.objects.create(code="DVC01", name="Đăng ký thường trú").measures.set([on_time])
    assert compiler.get(reverse("admin:indicators_measure_delete", args=[on_time.pk])).status_code == 403
    assert compiler.post(reverse("admin:indicators_measure_delete", args=[direct.pk]), {"post": "yes"}).status_code == 302
    assert not Measure.objects.filter(code="direct").exists() and Measure.objects.filter(code="on_time").exists()
