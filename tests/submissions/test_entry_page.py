"""The officer's entry page: Vietnamese numbers, errors beside the field, typed values kept, audit."""

import re
from decimal import Decimal

import pytest
from django.db import connection
from django.urls import reverse

from reporting.choices import AgencyKind, SubmissionStatus
from reporting.models import ApprovalChain, DataValue, Submission, ValueChange

from .. import conftest
from ..excel import hostile
from .helpers import form_data, save, upload

pytestmark = pytest.mark.django_db


def url(city, key="ben_nghe", year=2024, month=4):
    return reverse("entry", args=[year, month, city[key].pk])


@pytest.fixture
def officer(client, people):
    client.login(username="ward_officer", password=conftest.PASSWORD)
    return client


def field_errors(html, key):
    cell = re.search(rf'name="{re.escape(key)}".*?</td>', html, re.S)
    return re.findall(r"<li>(.*?)</li>", cell.group(0)) if cell else []


def test_numbers_typed_the_vietnamese_way_are_saved_and_audited(officer, city, month):
    response = officer.post(url(city), form_data(month))
    assert response.status_code == 302
    values = dict(DataValue.objects.filter(number__isnull=False).values_list("key", "number"))
    assert values["ind.EID_ACTIVATED"] == Decimal(7856474)
    assert values["dvc.DVC22.received"] == Decimal(1250)
    assert ValueChange.objects.filter(key="ind.EID_ACTIVATED", old_value="", new_value="7856474").exists()
    page = officer.get(url(city)).content.decode()
    assert 'value="7.856.474"' in page


def test_invalid_input_gets_a_vietnamese_error_beside_the_field_and_keeps_what_was_typed(officer, city, month):
    data = form_data(month, dvc__DVC22__online="1.300", dvc__DVC22__on_time="1.201", dvc__DVC24__count="-3",
                     ind__NEWS_PRESS="mười hai")
    response = officer.post(url(city), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert field_errors(html, "dvc.DVC22.online") == ["Không được lớn hơn số tiếp nhận (1.250)."]
    assert field_errors(html, "dvc.DVC22.on_time") == ["Không được lớn hơn số đã giải quyết (1.200)."]
    assert field_errors(html, "dvc.DVC24.count") == ["Số liệu không được âm."]
    assert "“mười hai” không phải là số" in field_errors(html, "ind.NEWS_PRESS")[0]
    for typed in ('value="1.300"', 'value="-3"', 'value="mười hai"', 'value="7.856.474"'):
        assert typed in html
    # The valid cells are saved; the refused ones, and the wholes their parts exceed, are not.
    assert set(DataValue.objects.values_list("key", flat=True)) == {
        "ind.EID_ACTIVATED", "mh.MH02.status", f"nv.{month['task'].pk}.status", "note.difficulties"}
    assert "Đã lưu 4 ô hợp lệ." in html


def test_a_cumulative_counter_may_only_go_down_with_a_reason(officer, people, city, month):
    save(people["ward_officer"], city, month, {"ind.EID_ACTIVATED": Decimal(8000000)}, period="march")
    response = officer.post(url(city), form_data(month))
    assert field_errors(response.content.decode(), "ind.EID_ACTIVATED") == [
        "Số lũy kế không được giảm so với tháng trước (8.000.000); ghi lý do nếu số liệu đã được rà soát, điều chỉnh."
    ]
    reason = "Loại 143.526 tài khoản trùng sau rà soát."
    # The other cells were saved with the refusal: the page goes on from version 1.
    response = officer.post(url(city), form_data(month, version=1, ind__EID_ACTIVATED__reason=reason))
    assert response.status_code == 302
    assert DataValue.objects.get(submission__period=month["april"], key="ind.EID_ACTIVATED").comment == reason
    assert ValueChange.objects.get(submission__period=month["april"], key="ind.EID_ACTIVATED").comment == reason


def test_last_months_value_stands_beside_the_input(officer, people, city, month):
    save(people["ward_officer"], city, month, {"dvc.DVC22.received": Decimal(1000)}, period="march")
    html = officer.get(url(city)).content.decode()
    assert re.search(r'data-prev="1000(\.0+)?".*?tháng trước 1.000', html, re.S)


def test_submit_from_the_page(officer, city, month):
    response = officer.post(url(city), {**form_data(month), "nop": ""}, follow=True)
    assert "Đã nộp báo cáo Tháng 4/2024 (nộp muộn so với hạn)" in response.content.decode()
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.SUBMITTED and submission.is_late


def test_submit_saves_and_submits_on_one_version(officer, city, month):
    officer.post(url(city), {**form_data(month), "nop": ""})
    submission = Submission.objects.get()
    assert (submission.status, submission.version) == (SubmissionStatus.SUBMITTED, 1)
    assert set(ValueChange.objects.values_list("version", flat=True)) == {1}
    assert list(submission.status_changes.values_list("from_status", "to_status")) == [
        (SubmissionStatus.DRAFT, SubmissionStatus.SUBMITTED)]


def test_a_first_save_from_a_page_loaded_before_someone_elses_first_save_is_refused(officer, people, city, month):
    save(people["ward_head"], city, month, {"ind.NEWS_PRESS": Decimal(20)})
    response = officer.post(url(city), {**form_data(month), "nop": ""})
    html = response.content.decode()
    assert response.status_code == 200 and "Tin đăng trên báo: (trống) → 20" in html
    submission = Submission.objects.get()
    assert (submission.status, submission.version) == (SubmissionStatus.DRAFT, 1)
    assert DataValue.objects.get().number == 20


def test_submit_with_empty_cells_saves_the_draft_and_says_what_is_missing(officer, city, month):
    data = form_data(month, ind__NEWS_PRESS="")
    html = officer.post(url(city), {**data, "nop": ""}, follow=True).content.decode()
    assert "Đã lưu nháp nhưng chưa nộp: Còn 1 ô chưa nhập (Tin đăng trên báo)" in html
    assert Submission.objects.get().status == SubmissionStatus.DRAFT


def test_officer_cannot_read_or_write_another_wards_report(officer, city, month):
    assert officer.get(url(city, "ben_thanh")).status_code == 404
    assert officer.post(url(city, "ben_thanh"), form_data(month)).status_code == 404
    assert not Submission.objects.exists()


def test_district_reads_its_wards_report_but_cannot_write_it(client, people, city, month):
    save(people["ward_officer"], city, month, {"ind.NEWS_PRESS": Decimal(3)})
    client.login(username="district_officer", password=conftest.PASSWORD)
    page = client.get(url(city))
    assert page.status_code == 200 and 'data-testid="read-only"' in page.content.decode()
    assert client.post(url(city), form_data(month, version=1)).status_code == 403
    assert DataValue.objects.get().number == 3


def test_history_shows_who_changed_what(officer, people, city, month):
    officer.post(url(city), form_data(month))
    officer.post(url(city), form_data(month, version=1, ind__NEWS_PRESS="15"))
    html = officer.get(reverse("history", args=[2024, 4, city["ben_nghe"].pk])).content.decode()
    assert re.search(r"Tin đăng trên báo</td>\s*<td class=\"num\">12</td><td class=\"num\">15</td>", html)
    assert "1.250" in html  # values formatted the Vietnamese way


@pytest.mark.parametrize("extra_services", [0, 40])
def test_entry_page_runs_a_fixed_number_of_queries(officer, people, city, month, django_assert_num_queries, extra_services):
    from indicators.models import Service
    from reporting.choices import AgencyKind

    added = Service.objects.bulk_create([Service(code=f"X{n:02d}", name=f"Dịch vụ {n}", reporter_kind=AgencyKind.WARD)
                                         for n in range(extra_services)])
    Service.measures.through.objects.bulk_create([
        Service.measures.through(service=service, measure=measure)
        for service in added for measure in conftest.measures("received_to_date", *conftest.FOUR_MEASURES, "to_resolve")])
    save(people["ward_officer"], city, month, {"ind.NEWS_PRESS": Decimal(3)}, period="march")
    save(people["ward_officer"], city, month, {"ind.NEWS_PRESS": Decimal(4)})
    with django_assert_num_queries(ENTRY_PAGE_QUERIES + CATALOG_QUERIES):
        assert officer.get(url(city)).status_code == 200
    with django_assert_num_queries(ENTRY_PAGE_QUERIES):     # what the catalogs decide now comes from the cache
        assert officer.get(url(city)).status_code == 200


def test_where_the_head_reviews_the_officers_draft_reads_in_as_many_queries(officer, people, city, month,
                                                                              django_assert_num_queries):
    ApprovalChain.objects.create(kind=AgencyKind.WARD, head_reviews=True)
    save(people["ward_officer"], city, month, {"ind.NEWS_PRESS": Decimal(4)})
    officer.get(url(city))
    with django_assert_num_queries(ENTRY_PAGE_QUERIES):
        html = officer.get(url(city)).content.decode()
    assert "Gửi lãnh đạo đơn vị duyệt" in html


def test_a_month_not_started_reads_in_as_many_queries(officer, city, month, django_assert_num_queries):
    officer.get(url(city))
    with django_assert_num_queries(ENTRY_PAGE_QUERIES):
        assert officer.get(url(city)).status_code == 200


def test_an_approval_chain_edited_after_a_page_was_read_decides_the_next_one(officer, people, city, month,
                                                                            django_capture_on_commit_callbacks):
    save(people["ward_officer"], city, month, {"ind.NEWS_PRESS": Decimal(4)})
    assert "Gửi lãnh đạo đơn vị duyệt" not in officer.get(url(city)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ApprovalChain.objects.create(kind=AgencyKind.WARD, head_reviews=True)
    assert "Gửi lãnh đạo đơn vị duyệt" in officer.get(url(city)).content.decode()


def test_attached_evidence_costs_its_own_query(officer, people, city, month, django_assert_num_queries):
    submission = save(people["ward_officer"], city, month, {"ind.NEWS_PRESS": Decimal(4)})
    upload(officer, submission, "ke-hoach.pdf", hostile.pdf())
    officer.get(url(city))
    with django_assert_num_queries(ENTRY_PAGE_QUERIES + 1):
        assert "ke-hoach.pdf" in officer.get(url(city)).content.decode()


def test_submitting_a_month_not_started_runs_a_fixed_number_of_queries(officer, city, month, django_assert_num_queries):
    officer.get(url(city))
    with django_assert_num_queries(SUBMIT_NEW_QUERIES):
        assert officer.post(url(city), {**form_data(month), "nop": ""}).status_code == 302
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_submitting_a_draft_runs_a_fixed_number_of_queries(officer, people, city, month, django_assert_num_queries):
    save(people["ward_officer"], city, month, {"ind.NEWS_PRESS": Decimal(4)})
    officer.get(url(city))
    with django_assert_num_queries(SUBMIT_DRAFT_QUERIES):
        assert officer.post(url(city), {**form_data(month, version=1), "nop": ""}).status_code == 302
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


# Issue 20 asks at most 4 on deadline day's page: the user; the month (its submission, its submitter, whether
# evidence is attached and the last change of status, in one query); both months' values; the bell's unread
# count. The session, the sheet, the period, the unit within the reader's scope and whether its head reviews
# come from the cache.
ENTRY_PAGE_QUERIES = 4
UNIT_MONTH_QUERIES = 2    # the period, the unit within the reader's scope (reporting.submissions.entry_month)
# The "Nộp" of a month not started: the user; the month (none yet); both months' values; the
# submission created already claimed (in a savepoint: someone may have created it first); the values and their
# audit rows (INSERTS); its status and its StatusChange. All in one transaction, which is a savepoint inside the
# test's (2 more).
# The values and their audit rows: an executemany each on SQLite, a COPY each on PostgreSQL (which Django's query
# capture does not see).
INSERTS = 2 if connection.vendor == "sqlite" else 0
SUBMIT_NEW_QUERIES = 10 + INSERTS
# Of a draft: the month in one query; the submission looked up, its version claimed (UPDATE, then read back) and
# its values read, as any save of it; the one value changed updated.
SUBMIT_DRAFT_QUERIES = 12 + INSERTS
SHEET_QUERIES = 8         # the unit's predecessors, measures, services and theirs, indicators, pilot models, tasks led, tasks coordinated
# The units with a sheet of their own: named by services, by indicators, by pilot models, by tasks; the successions.
NAMED_UNITS_QUERIES = 5
APPROVAL_CHAIN_QUERIES = 1
CATALOG_QUERIES = SHEET_QUERIES + UNIT_MONTH_QUERIES + NAMED_UNITS_QUERIES + APPROVAL_CHAIN_QUERIES


@pytest.mark.parametrize("saves", [1, 10])
def test_history_runs_a_fixed_number_of_queries(officer, people, city, month, django_assert_num_queries, saves):
    submission = None
    for n in range(saves):
        submission = save(people["ward_officer"], city, month, {"ind.NEWS_PRESS": Decimal(n), "dvc.DVC24.count": Decimal(n)},
                          version=submission.version if submission else 0)
    with django_assert_num_queries(HISTORY_QUERIES):
        assert officer.get(reverse("history", args=[2024, 4, city["ben_nghe"].pk])).status_code == 200


# The bell's unread count included; the session comes from the cache; the sheet reads the tasks the unit coordinates
# and the measures, after the units with a sheet of their own.
HISTORY_QUERIES = 15 + NAMED_UNITS_QUERIES
