import io

import pytest
from django.core.management import call_command

from reporting.choices import Role
from reporting.models import ReportingPeriod, User

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


def test_demo_users_pass_role_rules(catalogs):
    call_command("create_demo", stdout=io.StringIO())
    for user in User.objects.all():
        user.full_clean()
