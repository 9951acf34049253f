"""Every URL × every role: what each person gets back.

200 = may see it; 302 = sent to log in; 403 = may see the unit but not change
it; 404 = must not even learn that the unit exists (a ward officer who edits
the URL to another ward's id lands here).
"""

import pytest
from django.urls import reverse

from .. import conftest

ROLES = ["anonymous", "ward_officer", "ward_head", "district_officer", "dept_officer", "compiler", "leader", "admin"]


def url_table(city, plan_pk):
    agency = lambda key: city[key].pk  # noqa: E731
    return {
        # name: (url, expected status per role in ROLES order)
        "home": (reverse("home"), [302, 200, 200, 200, 200, 200, 302, 200]),   # a leader lands on the dashboard
        "agency list": (reverse("agency_list"), [302, 200, 200, 200, 200, 200, 200, 200]),
        "own ward": (reverse("agency_detail", args=[agency("ben_nghe")]), [302, 200, 200, 200, 404, 200, 200, 200]),
        "sibling ward": (reverse("agency_detail", args=[agency("ben_thanh")]), [302, 404, 404, 200, 404, 200, 200, 200]),
        "ward of other district": (reverse("agency_detail", args=[agency("vo_thi_sau")]), [302, 404, 404, 404, 404, 200, 200, 200]),
        "district": (reverse("agency_detail", args=[agency("q1")]), [302, 404, 404, 200, 404, 200, 200, 200]),
        "department": (reverse("agency_detail", args=[agency("dept")]), [302, 404, 404, 404, 200, 200, 200, 200]),
        "edit own ward": (reverse("agency_edit", args=[agency("ben_nghe")]), [302, 200, 200, 403, 404, 200, 403, 200]),
        "edit sibling ward": (reverse("agency_edit", args=[agency("ben_thanh")]), [302, 404, 404, 403, 404, 200, 403, 200]),
        "edit district": (reverse("agency_edit", args=[agency("q1")]), [302, 404, 404, 200, 404, 200, 403, 200]),
        "edit department": (reverse("agency_edit", args=[agency("dept")]), [302, 404, 404, 404, 200, 200, 403, 200]),
        "services": (reverse("service_list"), [302, 200, 200, 200, 200, 200, 200, 200]),
        "indicators": (reverse("indicator_list"), [302, 200, 200, 200, 200, 200, 200, 200]),
        "pilot models": (reverse("model_list"), [302, 200, 200, 200, 200, 200, 200, 200]),
        "plans": (reverse("plan_list"), [302, 200, 200, 200, 200, 200, 200, 200]),
        "plan": (reverse("plan_detail", args=[plan_pk]), [302, 200, 200, 200, 200, 200, 200, 200]),
        "plan board": (reverse("plan_board", args=[plan_pk]), [302, 403, 403, 403, 403, 200, 200, 200]),
        "admin": (reverse("admin:index"), [302, 302, 302, 302, 302, 200, 302, 200]),
        "admin agencies": (reverse("admin:reporting_agency_changelist"), [302, 302, 302, 302, 302, 200, 302, 200]),
        "admin services": (reverse("admin:indicators_service_changelist"), [302, 302, 302, 302, 302, 200, 302, 200]),
        "admin accounts": (reverse("admin:reporting_user_changelist"), [302, 302, 302, 302, 302, 403, 302, 200]),
        "entry own ward": (reverse("entry", args=[2024, 4, agency("ben_nghe")]), [302, 200, 200, 200, 404, 200, 200, 200]),
        "entry sibling ward": (reverse("entry", args=[2024, 4, agency("ben_thanh")]), [302, 404, 404, 200, 404, 200, 200, 200]),
        "entry department": (reverse("entry", args=[2024, 4, agency("dept")]), [302, 404, 404, 404, 200, 200, 200, 200]),
        "entry of a month with no period": (reverse("entry", args=[2030, 1, agency("ben_nghe")]), [302, 404, 404, 404, 404, 404, 404, 404]),
        "history own ward": (reverse("history", args=[2024, 4, agency("ben_nghe")]), [302, 200, 200, 200, 404, 200, 200, 200]),
        "history other district": (reverse("history", args=[2024, 4, agency("vo_thi_sau")]), [302, 404, 404, 404, 404, 200, 200, 200]),
        "board": (reverse("board", args=[2024, 4]), [302, 200, 200, 200, 200, 200, 200, 200]),
        "dashboard": (reverse("dashboard", args=[2024, 4]), [302, 403, 403, 403, 403, 200, 200, 200]),
        "dashboard of a ward": (reverse("dashboard", args=[2024, 4]) + f"?don-vi={agency('ben_nghe')}",
                                [302, 403, 403, 403, 403, 200, 200, 200]),
        "dashboard excel": (reverse("dashboard_xlsx", args=[2024, 4]), [302, 403, 403, 403, 403, 200, 200, 200]),
        "outline editor": (reverse("outline_editor"), [302, 403, 403, 403, 403, 200, 403, 200]),
        "outline upload": (reverse("outline_upload"), [302, 403, 403, 403, 403, 200, 403, 200]),
    }


@pytest.fixture
def submissions(city):
    """April 2024 with a draft for Bến Nghé and for Võ Thị Sáu, so their histories exist."""
    from reporting.models import Submission
    from reporting.periods import default_schedule

    april = default_schedule().period_for(2024, 4)
    for key in ("ben_nghe", "vo_thi_sau"):
        Submission.objects.create(period=april, agency=city[key])


@pytest.fixture
def plan(db):
    from indicators.models import Plan

    return Plan.objects.create(number="1/KH-TEST", year=2024, title="Kế hoạch thử", issuer="UBND", declared_task_count=1)


@pytest.mark.parametrize("role", ROLES)
def test_permission_matrix(client, city, people, plan, submissions, role):
    if role != "anonymous":
        client.login(username=people[role].username, password=conftest.PASSWORD)
    mismatches = []
    for name, (url, expected) in url_table(city, plan.pk).items():
        status = client.get(url).status_code
        if status != expected[ROLES.index(role)]:
            mismatches.append(f"{name}: got {status}, expected {expected[ROLES.index(role)]}")
    assert mismatches == []


def test_ward_officer_cannot_change_another_ward_by_posting(client, city, people):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    response = client.post(reverse("agency_edit", args=[city["ben_thanh"].pk]), {"email": "x@example.vn", "phone": "1"})
    assert response.status_code == 404
    city["ben_thanh"].refresh_from_db()
    assert city["ben_thanh"].email == ""


def test_leader_cannot_change_even_by_posting(client, city, people):
    client.login(username="leader", password=conftest.PASSWORD)
    response = client.post(reverse("agency_edit", args=[city["ben_nghe"].pk]), {"email": "x@example.vn", "phone": "1"})
    assert response.status_code == 403
    city["ben_nghe"].refresh_from_db()
    assert city["ben_nghe"].email == ""


def test_ward_officer_updates_own_contact(client, city, people):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    response = client.post(reverse("agency_edit", args=[city["ben_nghe"].pk]), {"email": "bennghe@tphcm.gov.vn", "phone": "028 3822 0000"})
    assert response.status_code == 302
    city["ben_nghe"].refresh_from_db()
    assert city["ben_nghe"].email == "bennghe@tphcm.gov.vn"


def test_bad_email_gets_vietnamese_error_and_keeps_input(client, city, people):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    response = client.post(reverse("agency_edit", args=[city["ben_nghe"].pk]), {"email": "khong-phai-email", "phone": "028"})
    assert response.status_code == 200
    assert "Nhập địa chỉ email." in response.content.decode()
    assert 'value="khong-phai-email"' in response.content.decode()
