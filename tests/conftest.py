"""Shared builders: a small city (PC06, two districts with wards, a department) and its people."""

import datetime

import pytest
from django.core.management import call_command

from reporting.choices import AgencyKind, Role
from reporting.models import Agency, User

PASSWORD = "mat-khau-thu-nghiem-2024"


@pytest.fixture
def city(db):
    """A city shaped like HCMC in 2024, with the codes the tests refer to."""
    root = Agency.objects.create(code="BCD", name="Ban Chỉ đạo Đề án 06", kind=AgencyKind.STEERING)
    catp = Agency.objects.create(code="CATP", name="Công an Thành phố", kind=AgencyKind.POLICE, parent=root)
    pc06 = Agency.objects.create(code="PC06", name="Phòng PC06", kind=AgencyKind.POLICE, parent=catp)
    dept = Agency.objects.create(code="STP", name="Sở Tư pháp", kind=AgencyKind.DEPARTMENT, parent=root)
    until = datetime.date(2025, 6, 30)
    q1 = Agency.objects.create(code="Q01", name="Quận 1", kind=AgencyKind.DISTRICT, parent=root, valid_to=until)
    q3 = Agency.objects.create(code="Q03", name="Quận 3", kind=AgencyKind.DISTRICT, parent=root, valid_to=until)
    ben_nghe = Agency.objects.create(code="Q01-BNG", name="Phường Bến Nghé", kind=AgencyKind.WARD, parent=q1, valid_to=until)
    ben_thanh = Agency.objects.create(code="Q01-BTH", name="Phường Bến Thành", kind=AgencyKind.WARD, parent=q1, valid_to=until)
    vo_thi_sau = Agency.objects.create(code="Q03-VTS", name="Phường Võ Thị Sáu", kind=AgencyKind.WARD, parent=q3, valid_to=until)
    return {
        "root": root, "catp": catp, "pc06": pc06, "dept": dept, "q1": q1, "q3": q3,
        "ben_nghe": ben_nghe, "ben_thanh": ben_thanh, "vo_thi_sau": vo_thi_sau,
    }


def make_user(username, role, agency=None):
    user = User(username=username, role=role, agency=agency, first_name=username)
    user.set_password(PASSWORD)
    user.full_clean()
    user.save()
    return user


@pytest.fixture
def people(city):
    """One account per role; officers of Bến Nghé ward, Quận 1 and Sở Tư pháp."""
    return {
        "ward_officer": make_user("ward_officer", Role.OFFICER, city["ben_nghe"]),
        "ward_head": make_user("ward_head", Role.HEAD, city["ben_nghe"]),
        "district_officer": make_user("district_officer", Role.OFFICER, city["q1"]),
        "dept_officer": make_user("dept_officer", Role.OFFICER, city["dept"]),
        "compiler": make_user("compiler", Role.COMPILER, city["pc06"]),
        "leader": make_user("leader", Role.LEADER, city["root"]),
        "admin": make_user("admin", Role.ADMIN),
    }


@pytest.fixture
def catalogs(db):
    call_command("load_catalogs", stdout=open("/dev/null", "w"))


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real accounts; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
