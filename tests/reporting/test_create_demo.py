"""The demo: accounts in today's city, its last closed month reported through the workflow, April 2024 as it was."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reporting.catalog.loading import read_fixture
from reporting.choices import ChangeSource, Role, SubmissionStatus
from reporting.formatting import parse_number
from reporting.management.commands import create_demo
from reporting.models import Agency, DataValue, ReportingPeriod, StatusChange, Submission, User, ValueChange
from reporting.months import Month
from reporting.periods import current_period, default_schedule

pytestmark = pytest.mark.django_db


def run_demo():
    out = io.StringIO()
    call_command("create_demo", stdout=out)
    return out.getvalue()


@pytest.fixture
def demo(catalogs):
    return run_demo()


def last_closed_month():
    before = Month.of(current_period()).previous()
    return default_schedule().period_for(before.year, before.month)


def written_rows():
    return [model.objects.count() for model in (User, Agency, ReportingPeriod, Submission, DataValue, ValueChange,
                                                 StatusChange)]


def test_demo_has_one_valid_account_per_role_and_a_second_run_changes_nothing(demo):
    before = written_rows()
    second = run_demo()
    assert written_rows() == before
    assert second.splitlines()[-1] == demo.splitlines()[-1]
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.count() == len(create_demo.DEMO_USERS) == 9
    assert User.objects.get(username="canbo.phuong").check_password("DeAn06-demo")
    assert User.objects.get(username="quantri").is_superuser
    assert list(User.objects.filter(records_office=True).values_list("username", flat=True)) == ["vanthu.pc06"]
    for user in User.objects.all():
        user.full_clean()


def test_demo_accounts_belong_to_units_of_todays_city(demo):
    today = current_period()
    for user in User.objects.exclude(username="benghe_cu").filter(agency__isnull=False).select_related("agency"):
        assert user.agency.is_active_on(today.window_end), (user.username, user.agency.code)
    ward = User.objects.get(username="canbo.phuong").agency
    assert (ward.code, ward.name, ward.valid_to) == ("XA26740", "Phường Sài Gòn", None)
    assert User.objects.get(username="lanhdao.phuong").agency == ward
    assert {User.objects.get(username=name).agency.code for name in ("canbo.so", "lanhdao.so")} == {"STP25"}


def test_officer_of_a_dissolved_ward_is_told_who_reports_now(demo):
    old = User.objects.get(username="benghe_cu").agency
    assert (old.code, old.name) == ("PX26740", "Phường Bến Nghé")
    assert not old.reports_for(current_period())
    assert "Phường Sài Gòn" in old.not_reporting_reason(current_period())


def test_ward_officer_lands_on_phuong_sai_gon_this_month(demo, client):
    client.login(username="canbo.phuong", password="DeAn06-demo")
    period, ward = current_period(), Agency.objects.get(code="XA26740")
    response = client.get(reverse("my_report"))
    assert response.url == reverse("entry", args=[period.year, period.month, ward.pk])
    page = client.get(response.url).content.decode()
    assert "Phường Sài Gòn" in page and period.label in page


def test_most_units_of_the_last_closed_month_are_approved(demo):
    period = last_closed_month()
    assert period.deadline < current_period().deadline
    expected = period.expected_agencies().count()
    submissions = Submission.objects.filter(period=period)
    approved = submissions.filter(status=SubmissionStatus.APPROVED)
    assert 0.75 * expected <= approved.count() <= 0.85 * expected
    assert approved.filter(is_late=True).exists() and approved.filter(is_late=False).exists()
    assert submissions.filter(status=SubmissionStatus.SUBMITTED).exists()
    returned = submissions.get(status=SubmissionStatus.RETURNED)
    assert returned.review_comment == create_demo.RETURN_COMMENT
    assert submissions.count() < expected      # some units have not started
    assert not submissions.exclude(agency__in=period.expected_agencies()).exists()
    for code in create_demo.FIRST:
        assert approved.filter(agency__code=code).exists(), code


def test_approvals_go_through_the_workflow(demo):
    period = last_closed_month()
    for submission in Submission.objects.filter(period=period).exclude(status=SubmissionStatus.DRAFT):
        moves = list(submission.status_changes.order_by("pk").values_list("from_status", "to_status",
                                                                          "changed_by__username"))
        assert moves[0][:2] == (SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED)
        assert submission.is_late == (timezone.localdate(submission.first_submitted_at) > period.deadline)
        if submission.status == SubmissionStatus.APPROVED:
            assert moves[1:] == [(SubmissionStatus.SUBMITTED, SubmissionStatus.APPROVED, "pc06")]
    ward = Submission.objects.get(period=period, agency__code="XA26740")
    assert ward.submitted_by.username == "lanhdao.phuong"
    entered = set(ward.value_changes.values_list("changed_by__username", "source"))
    assert entered == {("canbo.phuong", ChangeSource.FORM)}


def test_last_closed_month_holds_seed_000_city_totals_shared_among_units(demo):
    city = {row["key"]: parse_number(row["value"]) for name in create_demo.CITY_TOTALS for row in read_fixture(name)}
    values = DataValue.objects.filter(submission__period=last_closed_month())
    assert set(values.values_list("key", flat=True)) <= set(city)
    assert dict(values.filter(submission__agency__code="NHCSXH").values_list("key", "number")) == {
        "ind.LOAN_CASES": 194918, "ind.LOAN_AMOUNT": 10980935000}
    ward = dict(values.filter(submission__agency__code="XA26740").values_list("key", "number"))
    assert 0 < ward["dvc.DVC12.received"] < ward["dvc.DVC12.received_to_date"] < Decimal(22533) / 100
    for key in ("dvc.DVC12.received", "dvc.DVC12.received_to_date", "ind.CCCD_RECORDS"):
        entered = sum(values.filter(key=key).values_list("number", flat=True))    # not every unit has entered
        assert Decimal("0.7") * city[key] < entered <= city[key] + 100, key
    assert "không phải số liệu thật" in demo


def test_april_2024_keeps_the_figures_of_the_real_report_on_units_of_the_old_structure(demo):
    run_demo()
    april = default_schedule().period_for(2024, 4)
    submissions = Submission.objects.filter(period=april)
    assert sorted(submissions.values_list("agency__code", flat=True)) == ["BHXHTP", "CATP", "NHCSXH", "SLDTBXH", "SYT"]
    assert set(submissions.values_list("status", flat=True)) == {SubmissionStatus.APPROVED}
    assert not submissions.filter(is_late=True).exists()
    assert all(submission.agency.reports_for(april) for submission in submissions)
    assert {"SLDTBXH", "SYT"} == {s.agency.code for s in submissions if not s.agency.reports_for(current_period())}
    values = dict(DataValue.objects.filter(submission__period=april).values_list("key", "number"))
    assert values["ind.CCCD_RECORDS"] == 7856474 and values["ind.LOAN_AMOUNT"] == 10980935000
    assert values["dvc.DVC01.online"] == 3600 and values["dvc.DVC11.count"] == 143564
    assert len(values) == ValueChange.objects.filter(submission__period=april, source=ChangeSource.IMPORT).count() == 46
    expected = set(april.expected_agencies().values_list("code", flat=True))
    assert {"PX26740", "Q01", "STP"} <= expected and "XA26740" not in expected
    assert not Agency.objects.filter(code__startswith="Q01-").exists()


def test_an_earlier_demos_made_up_wards_are_removed_and_its_accounts_moved(catalogs):
    made_up = Agency.objects.create(code="Q01-BNG", name="Phường Bến Nghé", kind="ward",
                                    parent=Agency.objects.get(code="Q01"), source=create_demo.MADE_UP_WARDS_SOURCE)
    User.objects.create(username="canbo.phuong", role=Role.OFFICER, agency=made_up)
    run_demo()
    assert not Agency.objects.filter(code="Q01-BNG").exists()
    assert User.objects.get(username="canbo.phuong").agency.code == "XA26740"
