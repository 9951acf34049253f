"""Every target of plan 1302 is either measured by an indicator of the catalog or says why not, on the page too."""

import csv
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from indicators.models import Indicator, PlanTarget
from reporting.dashboard import overview
from reporting.figures.targets import NO_REASON, Standing

from .. import conftest

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def rows(name):
    with (FIXTURES / name).open(encoding="utf-8") as file:
        return list(csv.DictReader(file))


TARGETS = rows("plan_1302_2024_targets.csv")


@pytest.mark.parametrize("row", TARGETS, ids=[row["code"] for row in TARGETS])
def test_each_target_in_the_fixture_links_an_indicator_or_says_why_not(row):
    indicators = {indicator["code"]: indicator for indicator in rows("indicators.csv")}
    if row["indicator"]:
        assert row["indicator"] in indicators, "a link names an indicator of the catalog"
        assert not row["unmeasured_reason"], "a measured target needs no reason"
        indicator = indicators[row["indicator"]]
        assert indicator["unit"] == row["unit"], "the indicator measures in the target's unit"
    else:
        assert len(row["unmeasured_reason"]) > 40, "the reason says what the catalog lacks"


def test_the_links_are_the_ones_the_catalog_supports():
    """fixtures/README.md, "Plan 1302's targets and what measures them": only target 4 has both its parts reported."""
    assert {row["code"]: row["indicator"] for row in TARGETS if row["indicator"]} == {"4": "ASXH_CASHLESS_RATE"}
    assert len(TARGETS) == 15


@pytest.mark.django_db
def test_the_loaded_plan_keeps_the_links_and_the_reasons(catalogs):
    loaded = {target.code: target for target in PlanTarget.objects.filter(plan__number="1302/KH-UBND")}
    assert set(loaded) == {row["code"] for row in TARGETS}
    for row in TARGETS:
        target = loaded[row["code"]]
        assert (target.indicator.code if target.indicator else "") == row["indicator"]
        assert target.unmeasured_reason == row["unmeasured_reason"]


@pytest.mark.django_db
def test_a_target_without_an_indicator_cannot_be_saved_in_the_admin_without_a_reason(catalogs):
    target = PlanTarget.objects.get(plan__number="1302/KH-UBND", code="4")
    target.indicator = None
    with pytest.raises(ValidationError) as refused:
        target.full_clean()
    assert "vì sao chưa đo được" in str(refused.value.message_dict["unmeasured_reason"])
    target.unmeasured_reason = "Chưa có số đối tượng an sinh xã hội."
    target.full_clean()
    target.indicator = Indicator.objects.get(code="ASXH_CASHLESS_RATE")
    target.unmeasured_reason = ""
    target.full_clean()


@pytest.mark.django_db
def test_the_dashboard_prints_each_reason_instead_of_a_generic_line(client, catalogs, people):
    from reporting.periods import default_schedule

    default_schedule().period_for(2024, 4)
    board = overview.build((2024, 4), (2024, 4))
    unmeasured = board.unmeasured_targets
    assert len(unmeasured) == 14 and all(target.standing == Standing.NOT_MEASURED for target in unmeasured)
    # The KPI card of the indicator that measures target 4 carries the target and where it stands.
    card = next(kpi for kpi in board.kpis if kpi.target_code == "4")
    assert (card.label, card.target, card.standing) == (
        "Tỷ lệ đối tượng an sinh xã hội được chi trả không dùng tiền mặt", 50, Standing.NO_DATA)
    client.login(username="leader", password=conftest.PASSWORD)
    html = client.get(reverse("dashboard", args=[2024, 4])).content.decode()
    reasons = {row["code"]: row["unmeasured_reason"] for row in TARGETS if row["unmeasured_reason"]}
    for code, reason in reasons.items():
        printed = html.split(f'data-testid="unmeasured-{code}"')[1].split("</li>")[0]
        assert reason.replace("“", "&ldquo;").replace("”", "&rdquo;") in printed or reason in printed, code
    assert "Chưa có chỉ số đo chỉ tiêu này" not in html and NO_REASON not in html
    assert "14 chỉ tiêu chưa đo được — vì sao" in html
