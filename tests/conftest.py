"""Shared builders: a small city (PC06, two districts with wards, a department) and its people.

Also what several packages share: Bến Nghé's filled April sheet (``submission``) and the demo signer.
"""

import datetime
import io
import shutil

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import override_settings

from de_an_06.celery import app as celery_app
from reporting import stamps
from reporting.catalog.loading import load_reminder_rules
from reporting.choices import AgencyKind, Role
from reporting.figures import totals
from reporting.models import Agency, User

from .report.helpers import BLOCK_SIGNER, ORGANISATION, use_signer
from .shared_catalogs import SharedCatalogs, takes_shared_catalogs
from .submissions.helpers import fill_april

PASSWORD = "mat-khau-thu-nghiem-2024"


@pytest.fixture
def city(db):
    """A city shaped like HCMC in 2024, with the codes the tests refer to."""
    def agency(code, name, kind, parent=None, **extra):
        # update_or_create: tests that also load the real catalogs share CATP and PC06.
        return Agency.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, "parent": parent, **extra})[0]

    until = datetime.date(2025, 6, 30)
    root = agency("BCD", "Ban Chỉ đạo Đề án 06", AgencyKind.STEERING, is_reporting_unit=False)
    catp = agency("CATP", "Công an Thành phố", AgencyKind.POLICE, root)
    pc06 = agency("PC06", "Phòng PC06", AgencyKind.POLICE, catp, is_reporting_unit=False)
    dept = agency("STP", "Sở Tư pháp", AgencyKind.DEPARTMENT, root)
    q1 = agency("Q01", "Quận 1", AgencyKind.DISTRICT, root, valid_to=until)
    q3 = agency("Q03", "Quận 3", AgencyKind.DISTRICT, root, valid_to=until)
    ben_nghe = agency("Q01-BNG", "Phường Bến Nghé", AgencyKind.WARD, q1, valid_to=until)
    ben_thanh = agency("Q01-BTH", "Phường Bến Thành", AgencyKind.WARD, q1, valid_to=until)
    vo_thi_sau = agency("Q03-VTS", "Phường Võ Thị Sáu", AgencyKind.WARD, q3, valid_to=until)
    return {
        "root": root, "catp": catp, "pc06": pc06, "dept": dept, "q1": q1, "q3": q3,
        "ben_nghe": ben_nghe, "ben_thanh": ben_thanh, "vo_thi_sau": vo_thi_sau,
    }


def unreported(period, **agency_lookup):
    """The period's submissions of the units ``agency_lookup`` selects removed, as if they had never reported.

    A generated history is approved and added up as it is written: the kept totals are computed again.
    """
    period.submissions.filter(**{f"agency__{name}": value for name, value in agency_lookup.items()}).delete()
    totals.rebuild([period])


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


@pytest.fixture(scope="session")
def shared_catalogs(django_db_setup, django_db_blocker):
    """The transaction holding the catalogs for consecutive tests (tests/shared_catalogs.py); rolled back last."""
    held = SharedCatalogs(django_db_blocker)
    yield held
    held.close()


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    # pytest-django opens each test's own transaction in this fixture, which its django_db marker sets up
    # before any fixture of ours: the catalogs' transaction is opened or closed just before.
    if fixturedef.argname == "_django_db_helper":
        request.getfixturevalue("shared_catalogs").prepare_for(request.node)
    return (yield)


@pytest.fixture
def catalogs(db, request, shared_catalogs):
    """The real catalogs of fixtures/: already there for a test rolled back after, loaded anew for one that commits."""
    if not takes_shared_catalogs(request.node):
        call_command("load_catalogs", stdout=io.StringIO())
    elif not shared_catalogs.holds():
        pytest.fail("Danh mục dùng chung chưa được nạp: pytest-django có đổi tên fixture _django_db_helper không?")


@pytest.fixture
def catalogs_over_test_rows(db):
    """The real catalogs loaded after the rows the test's other fixtures made, which keep their values.

    For a test that needs both the small catalog of ``month`` and the real one: loaded for that test alone.
    """
    call_command("load_catalogs", stdout=io.StringIO())


@pytest.fixture
def reminder_rules(db):
    """The default reminder rules of fixtures/reminder_rules.csv (a catalog, so tests load it like one)."""
    load_reminder_rules()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: a dashboard cached by one test never answers another."""
    cache.clear()
    stamps.forget_kept()


@pytest.fixture(autouse=True)
def no_login_throttling(settings):
    """Tests log in through Client.login, which gives django-axes no request; tests/test_security.py turns it on."""
    settings.AXES_ENABLED = False


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Evidence and issued reports go to the test's own folder, never the project's media/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # PBKDF2's deliberate slowness protects real accounts; tests log in hundreds of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# What most services report: records received, of which online; resolved, of which on time.
FOUR_MEASURES = ("received", "online", "resolved", "on_time")


def measures(*codes):
    """The measures of these codes, from the real catalog of fixtures/measures.csv.

    It is loaded each time (idempotent): the test database may or may not still hold the five measures
    its migration made, as a transactional test flushes them, and a test must not depend on which.
    """
    from indicators.loaders import load_measures
    from indicators.models import Measure

    load_measures()
    found = {measure.code: measure for measure in Measure.objects.filter(code__in=codes)}
    return [found[code] for code in codes]


@pytest.fixture
def month(city):
    """April 2024 (and March before it) with a small catalog Bến Nghé ward reports.

    Two ward services (one with the four measures, one a single count), a
    cumulative and a flow indicator of Bến Nghé, a pilot model it leads and a
    plan task every ward leads.
    """
    from indicators.models import Indicator, Plan, PlanTask, PlanTaskGroup, PlanTaskUnit, Service, TaskRole
    from models_pilot.models import ModelProgramme, PilotModel
    from reporting.periods import default_schedule

    schedule = default_schedule()
    march, april = schedule.period_for(2024, 3), schedule.period_for(2024, 4)
    Service.objects.create(code="DVC22", name="Đăng ký khai sinh", reporter_kind=AgencyKind.WARD,
                           order=1).measures.set(measures(*FOUR_MEASURES))
    Service.objects.create(code="DVC24", name="Đăng ký kết hôn", reporter_kind=AgencyKind.WARD,
                           order=2).measures.set(measures("count"))
    eid = Indicator.objects.create(code="EID_ACTIVATED", name="Tài khoản định danh điện tử đã kích hoạt",
                                   unit="tài khoản", kind="cumulative", order=1)
    news = Indicator.objects.create(code="NEWS_PRESS", name="Tin đăng trên báo", unit="tin", kind="flow", order=2)
    for indicator in (eid, news):
        indicator.reporter_agencies.add(city["ben_nghe"])
    programme = ModelProgramme.objects.create(code="HCM35", name="35 mô hình", declared_count=35)
    PilotModel.objects.create(programme=programme, code="MH02", name="Mô hình công dân số", lead_agency=city["ben_nghe"])
    plan = Plan.objects.create(number="1302/KH-UBND", year=2024, title="Kế hoạch 2024", issuer="UBND", declared_task_count=49)
    group = PlanTaskGroup.objects.create(plan=plan, number="IV", title="Về phát triển công dân số")
    task = PlanTask.objects.create(plan=plan, group=group, number="30", content="Tuyên truyền kích hoạt định danh điện tử",
                                   lead_text="UBND phường", deadline_text="Thường xuyên")
    PlanTaskUnit.objects.create(task=task, role=TaskRole.LEAD, agency_kind=AgencyKind.WARD)
    return {"march": march, "april": april, "task": task}


@pytest.fixture
def month_outline(month):
    """A small monthly outline of the test city's own (its words are data): what a report needs to be issued."""
    from reporting.periods import default_schedule
    from reporting.report import outline_io

    items = [
        {"kind": "text", "style": "title", "text": "BÁO CÁO"},
        {"kind": "text", "style": "subtitle", "text": "{subject} {span}"},
        {"kind": "heading", "numbering": "roman", "text": "KẾT QUẢ", "children": [
            {"kind": "figure", "numbering": "dash", "service": "DVC22", "text": "{name}: **{online}/{received}** {unit}"}]},
    ]
    return outline_io.load(default_schedule(), {"format": outline_io.FORMAT, "name": "Báo cáo tháng", "kind": "month",
                                                "items": items})


@pytest.fixture
def submission(city, month, people):
    return fill_april(people["ward_officer"], city, month)


@pytest.fixture(scope="module")
def demo_signer(tmp_path_factory):
    """Made once per module: generating two RSA keys is most of a test's time."""
    folder = tmp_path_factory.mktemp("signer")
    with override_settings():
        use_signer(django_settings, folder)
        call_command("create_demo_signer", name="Võ Thị Giang", organisation=ORGANISATION, stdout=io.StringIO())
    return folder


@pytest.fixture(scope="module")
def block_signer_keys(tmp_path_factory):
    """The keys of the director the report's signature block names and of the organisation, made once per module."""
    folder = tmp_path_factory.mktemp("keys")
    with override_settings():
        use_signer(django_settings, folder)
        call_command("create_demo_signer", name=BLOCK_SIGNER, organisation=ORGANISATION, stdout=io.StringIO())
    return folder


@pytest.fixture
def keys(settings, block_signer_keys):
    """The settings pointing at the block signer's and the organisation's keys (read only: not copied)."""
    use_signer(settings, block_signer_keys)
    return block_signer_keys


@pytest.fixture
def signer(settings, tmp_path, demo_signer):
    """A private copy of the demo signer's files, which a test may change, with the settings pointing at it."""
    for name in ("signer.p12", "organisation.p12", "ca.pem"):
        shutil.copy2(demo_signer / name, tmp_path / name)
    use_signer(settings, tmp_path)
    return tmp_path


@pytest.fixture
def eager_tasks():
    """Celery tasks run in the test's thread, on every configuration (the PostgreSQL + Redis run has a broker)."""
    names = ("task_always_eager", "task_eager_propagates")
    before = {name: celery_app.conf.get(name) for name in names}
    celery_app.conf.update({name: True for name in names})
    yield
    celery_app.conf.update(before)
