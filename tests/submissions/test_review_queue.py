"""PC06's review queue: from one submitted month to the next, the board's chips and orders, the reminder button."""

import datetime
import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from reporting.choices import AgencyKind, PeriodStatus, Role, SubmissionStatus
from reporting.models import Agency, Delivery, Notification, ReminderClaim, ReminderRule, RuleKind, Submission
from reporting.reminders import dispatch, planner
from reporting.submissions import workflow
from reporting.submissions.review_board import vietnamese_order

from .. import conftest
from .helpers import april_reported, fill_april
from .test_board import BOARD_QUERIES, board, statuses

pytestmark = pytest.mark.django_db


def at(day, hour):
    return timezone.make_aware(datetime.datetime(2024, 4, day, hour))


def submit(agency, people, month, when):
    submission = Submission.objects.create(period=month["april"], agency=agency)
    workflow.submit(submission, people["compiler"], version=0, now=when)
    return Submission.objects.get(pk=submission.pk)


@pytest.fixture
def waiting(city, month, people):
    """Three reports await PC06 — Sở Tư pháp and Bến Thành on time, Võ Thị Sáu late —; Bến Nghé is approved,
    Quận 1 a draft, Quận 3 and Công an Thành phố have nothing. In the board's order the queue is
    Sở Tư pháp, Bến Thành, Võ Thị Sáu (departments, then wards by district)."""
    ben_nghe = fill_april(people["ward_officer"], city, month)
    workflow.submit(ben_nghe, people["ward_officer"], version=ben_nghe.version, now=at(12, 8))
    workflow.approve(ben_nghe, people["compiler"], version=ben_nghe.version)
    Submission.objects.create(period=month["april"], agency=city["q1"])
    return {
        "stp": submit(city["dept"], people, month, at(14, 9)),
        "bth": submit(city["ben_thanh"], people, month, at(15, 8)),
        "vts": submit(city["vo_thi_sau"], people, month, at(17, 10)),
    }


def as_compiler(client):
    client.login(username="compiler", password=conftest.PASSWORD)
    return client


def entry(agency):
    return reverse("entry", args=[2024, 4, agency.pk])


def queue_panel(client, agency):
    html = client.get(entry(agency)).content.decode()
    return re.search(r'data-testid="review-queue">(.*?)</nav>', html, re.S).group(1)


def link(panel, testid):
    found = re.search(rf'href="([^"]+)" data-testid="{testid}"', panel)
    return found.group(1) if found else None


# --- the queue on a unit's month ------------------------------------------------------------------------------

def test_the_panel_shows_the_place_in_the_queue_and_its_neighbours_in_the_boards_order(client, waiting, city):
    as_compiler(client)
    first, middle, last = (queue_panel(client, city[name]) for name in ("dept", "ben_thanh", "vo_thi_sau"))
    assert "Chờ duyệt: 1/3" in first and link(first, "queue-previous") is None
    assert link(first, "queue-next") == entry(city["ben_thanh"])
    assert "Chờ duyệt: 2/3" in middle
    assert link(middle, "queue-previous") == entry(city["dept"]) and link(middle, "queue-next") == entry(city["vo_thi_sau"])
    assert "← Đơn vị trước" in middle and "Đơn vị tiếp theo →" in middle
    assert "Chờ duyệt: 3/3" in last and link(last, "queue-next") is None


def test_a_month_not_awaiting_review_links_to_the_waiting_units_around_it(client, waiting, city):
    panel = queue_panel(as_compiler(client), city["ben_nghe"])      # approved; between Sở Tư pháp and Bến Thành
    assert "Còn 3 báo cáo chờ duyệt" in panel and "Chờ duyệt: " not in panel
    assert link(panel, "queue-previous") == entry(city["dept"]) and link(panel, "queue-next") == entry(city["ben_thanh"])


def test_approving_lands_on_the_next_unit_awaiting_review(client, waiting, city):
    response = as_compiler(client).post(reverse("review", args=[waiting["bth"].pk, "duyet"]),
                                        {"version": waiting["bth"].version})
    assert response.status_code == 302 and response.url == entry(city["vo_thi_sau"])
    page = client.get(response.url).content.decode()
    assert "Phường Bến Thành — Đã duyệt báo cáo. Tiếp theo: Phường Võ Thị Sáu." in page
    assert "Chờ duyệt: 2/2" in page
    assert Submission.objects.get(pk=waiting["bth"].pk).status == SubmissionStatus.APPROVED


def test_returning_the_last_of_the_board_goes_round_to_the_first_still_waiting(client, waiting, city):
    response = as_compiler(client).post(reverse("review", args=[waiting["vts"].pk, "tra-lai"]),
                                        {"version": waiting["vts"].version, "comment": "Thiếu số khai sinh."})
    assert response.url == entry(city["dept"])
    assert Submission.objects.get(pk=waiting["vts"].pk).status == SubmissionStatus.RETURNED


def test_the_last_decision_goes_back_to_the_board(client, waiting, city):
    as_compiler(client)
    for name in ("stp", "bth"):
        client.post(reverse("review", args=[waiting[name].pk, "duyet"]), {"version": waiting[name].version})
    response = client.post(reverse("review", args=[waiting["vts"].pk, "duyet"]), {"version": waiting["vts"].version},
                           follow=True)
    assert response.redirect_chain[-1][0] == reverse("board", args=[2024, 4])
    assert "Phường Võ Thị Sáu — Đã duyệt báo cáo. Đã xử lý hết báo cáo chờ duyệt." in response.content.decode()


def test_a_refused_decision_or_a_reopening_stays_on_the_unit(client, waiting, city):
    as_compiler(client)
    stale = client.post(reverse("review", args=[waiting["bth"].pk, "duyet"]), {"version": waiting["bth"].version - 1})
    assert stale.url == entry(city["ben_thanh"])
    no_comment = client.post(reverse("review", args=[waiting["bth"].pk, "tra-lai"]),
                             {"version": waiting["bth"].version, "comment": " "})
    assert no_comment.url == entry(city["ben_thanh"])
    approved = Submission.objects.get(agency=city["ben_nghe"])
    reopened = client.post(reverse("review", args=[approved.pk, "mo-lai"]),
                           {"version": approved.version, "comment": "Điều chỉnh số khai sinh."})
    assert reopened.url == entry(city["ben_nghe"])


def test_the_queue_holds_only_what_the_reviewer_may_see(client, waiting, city, people):
    """A unit officer has no panel at all; the queue itself is scoped like every read."""
    from reporting.submissions import queue

    district_view = queue.place(people["district_officer"], waiting["bth"].period, city["ben_thanh"])
    assert (district_view.number, district_view.total, district_view.next) == (1, 1, None)   # Quận 1's wards only
    client.login(username="ward_officer", password=conftest.PASSWORD)
    assert 'data-testid="review-queue"' not in client.get(entry(city["ben_nghe"])).content.decode()


def test_the_queue_costs_the_reviewers_page_one_query_whatever_its_length(client, waiting, city, month, people):
    def queries():
        client.get(entry(city["ben_thanh"]))          # the sheet is cached from here on
        with CaptureQueriesContext(connection) as captured:
            assert client.get(entry(city["ben_thanh"])).status_code == 200
        return len(captured)

    as_compiler(client)
    before = queries()
    for n in range(30):
        ward = Agency.objects.create(code=f"Q01-X{n:02d}", name=f"Phường {n}", kind=AgencyKind.WARD, parent=city["q1"])
        submit(ward, people, month, at(14, 8))
    assert queries() == before


# --- the board: chips, orders, times ---------------------------------------------------------------------------

def test_a_status_chip_filters_the_table_and_keeps_the_counts(client, waiting):
    html = board(client, "compiler", **{"trang-thai": "on_time"})
    assert list(statuses(html)) == ["STP", "Q01-BTH"]
    assert re.search(r'<a class="chip status-on_time" href="[^"]+" aria-current="true">Đã nộp đúng hạn: 2</a>', html)
    assert "Đã nộp muộn: 1" in html and "Chưa nhập: 2" in html and "Tất cả: 7" in html
    assert list(statuses(board(client, "compiler", **{"trang-thai": "late"}))) == ["Q03-VTS"]
    assert len(statuses(board(client, "compiler", **{"trang-thai": "không-có"}))) == 7


def test_filters_combine_and_the_chips_keep_them(client, waiting, city):
    html = board(client, "compiler", loai=AgencyKind.WARD, **{"trang-thai": "on_time", "sap-xep": "don-vi"})
    assert list(statuses(html)) == ["Q01-BTH"]
    assert 'href="/tong-hop/2024/4/?loai=ward&amp;trang-thai=late&amp;sap-xep=don-vi"' in html
    assert 'href="/tong-hop/2024/4/?loai=ward&amp;sap-xep=don-vi" aria-current' not in html   # "Tất cả" not current
    assert '<input type="hidden" name="trang-thai" value="on_time">' in html        # the form keeps the chip
    district = board(client, "compiler", quan=city["q3"].pk, **{"trang-thai": "late"})
    assert list(statuses(district)) == ["Q03-VTS"]


def test_the_board_sorts_by_submission_time_or_by_name(client, waiting):
    never = ["Q01", "Q03", "CATP"]      # never submitted: last, in the board's order
    assert list(statuses(board(client, "compiler", **{"sap-xep": "nop-som"}))) == [
        "Q01-BNG", "STP", "Q01-BTH", "Q03-VTS", *never]
    assert list(statuses(board(client, "compiler", **{"sap-xep": "nop-muon"}))) == [
        "Q03-VTS", "Q01-BTH", "STP", "Q01-BNG", *never]
    assert list(statuses(board(client, "compiler", **{"sap-xep": "don-vi"}))) == [
        "CATP", "Q01-BNG", "Q01-BTH", "Q03-VTS", "Q01", "Q03", "STP"]
    assert list(statuses(board(client, "compiler", **{"sap-xep": "thu-tu"}))) == [
        "STP", "Q01", "Q03", "CATP", "Q01-BNG", "Q01-BTH", "Q03-VTS"]


def test_the_board_puts_first_what_needs_something(client, waiting, people):
    """Returned, then not sent (not started, a draft), then awaiting review in the queue's order, approved last."""
    vts = waiting["vts"]
    workflow.return_to_unit(vts, people["compiler"], version=vts.version, comment="Thiếu số liệu.")
    assert statuses(board(client, "compiler")) == {
        "Q03-VTS": "returned", "Q03": "not_started", "CATP": "not_started", "Q01": "draft",
        "STP": "on_time", "Q01-BTH": "on_time", "Q01-BNG": "approved"}
    assert list(statuses(board(client, "compiler"))) == ["Q03-VTS", "Q03", "CATP", "Q01", "STP", "Q01-BTH", "Q01-BNG"]


def test_names_sort_the_vietnamese_way():
    names = ["Phường 10", "Đa Kao", "Gò Vấp", "Phường 2", "Ấp Bắc", "Dĩ An", "An Lạc", "Ô Môn", "Ơ Rê", "Ông Lãnh"]
    assert sorted(names, key=vietnamese_order) == [
        "An Lạc", "Ấp Bắc", "Dĩ An", "Đa Kao", "Gò Vấp", "Ô Môn", "Ông Lãnh", "Ơ Rê", "Phường 2", "Phường 10"]


def test_the_board_shows_first_and_last_submission_times(client, waiting, people):
    bth = waiting["bth"]
    workflow.return_to_unit(bth, people["compiler"], version=bth.version, comment="Sửa số liệu.")
    workflow.submit(bth, people["compiler"], version=bth.version, now=at(18, 9))
    html = board(client, "compiler")
    row = re.search(r'<tr data-agency="Q01-BTH">.*?</tr>', html, re.S).group(0)
    assert '<span class="when" data-testid="first-submitted">08:00 15/04/2024</span>' in row
    assert re.search(r'data-testid="last-submitted">nộp lại lần cuối <span class="when">09:00 18/04/2024</span>', row)


@pytest.mark.parametrize("extra_wards", [0, 30])
def test_the_filtered_sorted_board_stays_a_fixed_number_of_queries(client, waiting, city, people, month,
                                                                   django_assert_max_num_queries, extra_wards):
    rule = dispatch.manual_rules()[0]
    for n in range(extra_wards):
        ward = Agency.objects.create(code=f"Q01-X{n:02d}", name=f"Phường {n}", kind=AgencyKind.WARD, parent=city["q1"])
        submit(ward, people, month, at(14, 8))
        ReminderClaim.objects.create(rule=rule, period=month["april"], target=ward.code, occasion=f"nhac-tay-{n}",
                                     subject="Nhắc", body="Nhắc")
    as_compiler(client)
    with django_assert_max_num_queries(BOARD_QUERIES):
        html = client.get(reverse("board", args=[2024, 4]), {"trang-thai": "on_time", "sap-xep": "nop-muon"})
    assert html.content.decode().count('data-testid="last-reminded">') == 2 + extra_wards


# --- "Nhắc các đơn vị chưa nộp" -------------------------------------------------------------------------------

@pytest.fixture
def unsubmitted(city, month, people):
    """Bến Nghé approved and Quận 1 submitted (nobody to remind); Bến Thành a draft, Sở Tư pháp not started,
    Võ Thị Sáu returned, Quận 3 prepared (each with someone to remind); Công an Thành phố has no account."""
    april_reported(city, month, people)
    conftest.make_user("bth_officer", Role.OFFICER, city["ben_thanh"])
    conftest.make_user("vts_head", Role.HEAD, city["vo_thi_sau"])
    conftest.make_user("q3_officer", Role.OFFICER, city["q3"])
    vts = submit(city["vo_thi_sau"], people, month, at(14, 8))
    workflow.return_to_unit(vts, people["compiler"], version=vts.version, comment="Thiếu số liệu.")
    # The head's review step is another part of issue 18; the status is all the reminder reads.
    Submission.objects.create(period=month["april"], agency=city["q3"], status=SubmissionStatus.PREPARED)
    for user in conftest.User.objects.all():
        user.email = f"{user.username}@example.vn"
        user.save()
    return month["april"]


def remind(client, username="compiler", **query):
    client.login(username=username, password=conftest.PASSWORD)
    url = reverse("remind_pending", args=[2024, 4])
    return client.post(f"{url}?{'&'.join(f'{k}={v}' for k, v in query.items())}" if query else url, follow=True)


def test_remind_claims_one_reminder_per_unit_not_yet_submitted_and_delivers_it_after_commit(
        client, unsubmitted, people, eager_tasks, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        page = remind(client).content.decode()
    assert len(callbacks) == 1                                      # handed out once the claims are committed
    claims = ReminderClaim.objects.filter(rule__kind=RuleKind.MANUAL)
    assert set(claims.values_list("target", flat=True)) == {"Q01-BTH", "STP", "Q03-VTS", "Q03"}
    assert {claim.occasion[:9] for claim in claims} == {"nhac-tay-"}
    assert "Đã nhắc 4 đơn vị chưa nộp báo cáo tháng 4/2024." in page
    assert "1 đơn vị chưa có tài khoản để nhận nhắc: Công an Thành phố." in page
    stp = claims.get(target="STP")
    assert stp.subject == "PC06 nhắc: Sở Tư pháp chưa nộp báo cáo Đề án 06 tháng 4/2024"
    assert "đang ở trạng thái “Chưa nhập”" in stp.body
    assert "“Bị trả lại”" in claims.get(target="Q03-VTS").body
    assert set(Delivery.objects.filter(claim=stp).values_list("channel", "status")) == {("in_app", "sent"), ("email", "sent")}
    notice = Notification.objects.get(user=people["dept_officer"])
    assert notice.link == reverse("entry", args=[2024, 4, people["dept_officer"].agency_id])
    assert any(message.to == ["dept_officer@example.vn"] for message in mail.outbox)
    assert not Notification.objects.filter(user__in=[people["ward_officer"], people["district_officer"]]).exists()


def test_a_second_press_within_ten_minutes_does_not_nag_twice(client, unsubmitted):
    remind(client)
    claims = ReminderClaim.objects.count()
    page = remind(client).content.decode()
    assert ReminderClaim.objects.count() == claims
    assert "4 đơn vị vừa được nhắc trong 10 phút qua nên không nhắc lại lần nữa." in page
    assert "Đã nhắc" not in page
    _, reminded, _ = dispatch.remind_pending(unsubmitted, timezone.now() + datetime.timedelta(minutes=11))
    assert reminded == 4


def test_two_presses_at_once_claim_each_unit_once(unsubmitted):
    now = timezone.now()
    seen_by_the_second = planner.manual_messages(unsubmitted, dispatch.manual_rules(), now)   # before the first commits
    dispatch.remind_pending(unsubmitted, now)
    assert [dispatch.claim(message, now) for message in seen_by_the_second.due] == [None] * 4
    assert ReminderClaim.objects.count() == 4


def last_reminded(html):
    """Unit code → the "Nhắc lần cuối" time its row shows, "" when none."""
    cells = re.findall(r'<tr data-agency="([^"]+)">.*?data-testid="last-reminded">(.*?)</td>', html, re.S)
    return {code: re.sub(r"<[^>]+>", "", cell.replace('<span class="cell-label">Nhắc lần cuối: </span>', ""))
            for code, cell in cells}


def test_the_board_shows_when_each_unit_was_last_reminded_by_any_reminder(client, unsubmitted, reminder_rules,
                                                                          people, city):
    bth = Submission.objects.get(agency=city["ben_thanh"])
    workflow.submit(bth, people["compiler"], version=bth.version)
    workflow.return_to_unit(bth, people["compiler"], version=bth.version, comment="Sửa lại.")   # a return notice
    html = board(client, "compiler")
    reminded = last_reminded(html)
    assert re.fullmatch(r"\d\d:\d\d \d\d/\d\d/\d{4}", reminded["Q01-BTH"])
    assert reminded["STP"] == ""
    remind(client)
    reminded = last_reminded(board(client, "compiler"))
    assert reminded["STP"] == timezone.localtime(ReminderClaim.objects.get(target="STP").claimed_at).strftime(
        "%H:%M %d/%m/%Y")
    assert reminded["Q01-BNG"] == ""


def test_remind_goes_back_to_the_board_as_it_was_filtered(client, unsubmitted):
    response = remind(client, loai="ward", **{"trang-thai": "draft"})
    assert response.redirect_chain[-1][0] == "/tong-hop/2024/4/?loai=ward&trang-thai=draft"


@pytest.mark.parametrize("username", ["ward_officer", "district_officer", "leader"])
def test_only_pc06_may_remind(client, unsubmitted, username):
    client.login(username=username, password=conftest.PASSWORD)
    assert client.post(reverse("remind_pending", args=[2024, 4])).status_code == 403
    assert 'data-testid="remind-form"' not in client.get(reverse("board", args=[2024, 4])).content.decode()
    assert not ReminderClaim.objects.exists()


def test_the_button_is_a_post_with_a_confirmation(client, unsubmitted):
    client.login(username="compiler", password=conftest.PASSWORD)
    assert client.get(reverse("remind_pending", args=[2024, 4])).status_code == 405
    html = board(client, "compiler")
    form = re.search(r'<form method="post" action="/tong-hop/2024/4/nhac/"[^>]*>(.*?)</form>', html, re.S).group(1)
    assert "csrfmiddlewaretoken" in form
    assert re.search(r'<button type="submit" class="secondary" data-confirm="Gửi nhắc ngay[^"]+">'
                     r'Nhắc các đơn vị chưa nộp</button>', form)
    assert "js/confirm.js" in html


def test_a_closed_period_or_a_switched_off_rule_reminds_nobody(client, unsubmitted):
    ReminderRule.objects.create(name="PC06 nhắc", kind=RuleKind.MANUAL, is_active=False)
    assert "Chức năng nhắc đang tắt" in remind(client).content.decode()
    ReminderRule.objects.all().update(is_active=True)
    type(unsubmitted).objects.filter(pk=unsubmitted.pk).update(status=PeriodStatus.CLOSED)
    page = remind(client).content.decode()
    assert "Tháng 4/2024 đã đóng; không nhắc các đơn vị nữa." in page
    assert 'data-testid="remind-form"' not in page
    assert not ReminderClaim.objects.exists()


def test_nobody_to_remind_once_every_unit_has_submitted(client, waiting, city, people, month):
    for agency in (city["q1"], city["q3"], city["catp"]):
        Submission.objects.filter(period=month["april"], agency=agency).delete()
        submit(agency, people, month, at(14, 8))
    assert "Mọi đơn vị đã nộp báo cáo tháng 4/2024; không có đơn vị nào cần nhắc." in remind(client).content.decode()
    assert not ReminderClaim.objects.exists()
