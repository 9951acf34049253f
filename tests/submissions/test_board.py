"""PC06's review board: every expected unit × its status, counts, completeness, filters, scope."""

import datetime
import re

import pytest
from django.urls import reverse

from reporting.choices import AgencyKind
from reporting.models import Agency, Submission
from reporting.submissions import workflow

from .. import conftest
from .helpers import april_reported, fill_april

pytestmark = pytest.mark.django_db


def board(client, username, **filters):
    client.login(username=username, password=conftest.PASSWORD)
    return client.get(reverse("board", args=[2024, 4]), filters).content.decode()


def statuses(html):
    rows = re.findall(r'<tr data-agency="([^"]+)">.*?class="badge status-(\w+)"', html, re.S)
    return dict(rows)


@pytest.fixture
def reported(city, month, people):
    return april_reported(city, month, people)


def test_board_shows_every_expected_unit_with_its_status_and_completeness(client, reported, city):
    html = board(client, "compiler")
    assert statuses(html) == {
        "CATP": "not_started", "STP": "not_started", "Q01": "late", "Q03": "not_started",
        "Q01-BNG": "approved", "Q01-BTH": "draft", "Q03-VTS": "not_started",
    }
    assert "<strong>2/7</strong> đơn vị đã nộp" in html
    assert ">4/2024</a>" in html  # the year is not printed as a grouped number ("2.024")
    assert re.search(r'data-testid="completeness">28,57%<', html)
    assert "Đã nộp muộn: 1" in html and "Chưa nhập: 4" in html


def test_board_filters_by_kind_and_by_district(client, reported, city):
    assert set(statuses(board(client, "compiler", loai=AgencyKind.WARD))) == {"Q01-BNG", "Q01-BTH", "Q03-VTS"}
    assert set(statuses(board(client, "compiler", quan=city["q1"].pk))) == {"Q01", "Q01-BNG", "Q01-BTH"}


def test_board_is_scoped_to_what_the_user_may_see(client, reported):
    assert set(statuses(board(client, "ward_officer"))) == {"Q01-BNG"}
    assert set(statuses(board(client, "district_officer"))) == {"Q01", "Q01-BNG", "Q01-BTH"}


def test_units_that_no_longer_existed_are_not_expected(client, reported, city, month):
    Agency.objects.filter(pk=city["q3"].pk).update(valid_to=datetime.date(2024, 1, 31))
    assert "Q03" not in statuses(board(client, "compiler"))


@pytest.mark.parametrize("extra_wards", [0, 30])
def test_board_runs_a_fixed_number_of_queries(client, reported, city, people, django_assert_num_queries, extra_wards):
    for n in range(extra_wards):
        ward = Agency.objects.create(code=f"Q01-X{n}", name=f"Phường {n}", kind=AgencyKind.WARD, parent=city["q1"])
        Submission.objects.create(period=Submission.objects.first().period, agency=ward)
    client.login(username="compiler", password=conftest.PASSWORD)
    with django_assert_num_queries(BOARD_QUERIES):
        client.get(reverse("board", args=[2024, 4]))


BOARD_QUERIES = 8   # the bell's unread count and each unit's last reminder included; the session comes from the cache


def test_pc06_returns_then_approves_from_the_page_and_the_unit_sees_the_comment(client, city, month, people):
    submission = fill_april(people["ward_officer"], city, month)
    workflow.submit(submission, people["ward_officer"], version=submission.version)
    client.login(username="compiler", password=conftest.PASSWORD)
    client.post(reverse("review", args=[submission.pk, "tra-lai"]),
                {"version": submission.version, "comment": "Bổ sung số đúng hạn."})
    client.login(username="ward_officer", password=conftest.PASSWORD)
    page = client.get(reverse("entry", args=[2024, 4, city["ben_nghe"].pk])).content.decode()
    assert "Ý kiến của PC06:</strong> Bổ sung số đúng hạn." in page
    assert 'data-testid="read-only"' not in page  # returned: editable again


def test_a_unit_cannot_approve_its_own_report_through_the_url(client, city, month, people):
    submission = fill_april(people["ward_officer"], city, month)
    workflow.submit(submission, people["ward_officer"], version=submission.version)
    client.login(username="ward_head", password=conftest.PASSWORD)
    response = client.post(reverse("review", args=[submission.pk, "duyet"]), {"version": submission.version}, follow=True)
    assert "Chỉ cán bộ tổng hợp PC06 mới được duyệt báo cáo." in response.content.decode()
    assert Submission.objects.get().status == "submitted"
    client.login(username="dept_officer", password=conftest.PASSWORD)
    assert client.post(reverse("review", args=[submission.pk, "duyet"]), {"version": submission.version}).status_code == 404
