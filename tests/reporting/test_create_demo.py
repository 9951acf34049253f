import io

import pytest
from django.core.management import call_command

from reporting.choices import ChangeSource, Role, SubmissionStatus
from reporting.models import DataValue, ReportingPeriod, Submission, User, ValueChange

pytestmark = pytest.mark.django_db


def test_demo_has_one_account_per_role_and_is_idempotent(catalogs):
    call_command("create_demo", stdout=io.StringIO())
    call_command("create_demo", stdout=io.StringIO())
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    assert User.objects.count() == 8
    ward_officer = User.objects.get(username="canbo.phuong")
    assert ward_officer.agency.name == "Phường Bến Nghé" and ward_officer.agency.parent.code == "Q01"
    assert ward_officer.check_password("DeAn06-demo")
    assert User.objects.get(username="quantri").is_superuser
    assert ReportingPeriod.objects.filter(year=2024, month=4).exists()


def test_demo_month_holds_the_figures_of_the_real_april_2024_report(catalogs):
    call_command("create_demo", stdout=io.StringIO())
    call_command("create_demo", stdout=io.StringIO())
    april = Submission.objects.filter(period__year=2024, period__month=4)
    assert sorted(april.values_list("agency__code", flat=True)) == ["BHXHTP", "CATP", "NHCSXH", "SLDTBXH", "SYT"]
    assert set(april.values_list("status", flat=True)) == {SubmissionStatus.APPROVED}
    assert not april.filter(is_late=True).exists()
    values = dict(DataValue.objects.values_list("key", "number"))
    assert values["ind.CCCD_RECORDS"] == 7856474 and values["ind.LOAN_AMOUNT"] == 10980935000
    assert ValueChange.objects.filter(source=ChangeSource.IMPORT).count() == DataValue.objects.count() == 46
    assert values["dvc.DVC01.online"] == 3600 and values["dvc.DVC11.count"] == 143564


def test_demo_users_pass_role_rules(catalogs):
    call_command("create_demo", stdout=io.StringIO())
    for user in User.objects.all():
        user.full_clean()
