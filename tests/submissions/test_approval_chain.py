"""Issue 18: where PC06 says so for a kind of unit, the officer prepares the month and the unit's head reviews it,
then submits it to PC06 or returns it to the officer; elsewhere the officer submits directly, as before."""

import datetime
import io
import re
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from reporting.catalog.loading import load_approval_chains
from reporting.choices import AgencyKind, CellMark, SubmissionStatus
from reporting.models import ApprovalChain, Notification, StatusChange, Submission, WorkflowError
from reporting.submissions import signoff, store, workflow
from reporting.submissions.store import CellValue

from .. import conftest
from .helpers import april_sheet, fill_april, form_data, save

pytestmark = pytest.mark.django_db


def at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def head_reviews(db):
    """Wards have their head review the month (the fixture's default for wards and departments)."""
    return ApprovalChain.objects.create(kind=AgencyKind.WARD, head_reviews=True)


@pytest.fixture
def draft(city, month, people):
    return fill_april(people["ward_officer"], city, month)


@pytest.fixture
def prepared(head_reviews, draft, people, city, month):
    workflow.prepare(draft, people["ward_officer"], version=draft.version, sheet=april_sheet(city, month))
    return draft


def entry_url(city, key="ben_nghe"):
    return reverse("entry", args=[2024, 4, city[key].pk])


def logged_in(client, username):
    client.login(username=username, password=conftest.PASSWORD)
    return client


def trail():
    return list(StatusChange.objects.order_by("pk").values_list("from_status", "to_status", "comment"))


# --- the workflow ----------------------------------------------------------------------------------------


def test_officer_prepares_the_month_for_the_head_without_setting_its_timeliness(prepared, month):
    prepared.refresh_from_db()
    assert prepared.status == SubmissionStatus.PREPARED
    assert (prepared.first_submitted_at, prepared.submitted_at, prepared.is_late) == (None, None, False)
    assert trail() == [("draft", "prepared", "")]
    assert prepared.board_status.label == "Chờ lãnh đạo đơn vị duyệt"


def test_preparing_needs_every_cell_filled_as_submitting_does(head_reviews, city, month, people):
    submission = save(people["ward_officer"], city, month, {"dvc.DVC22.received": Decimal(5)})
    with pytest.raises(WorkflowError, match=r"Còn 8 ô chưa nhập"):
        workflow.prepare(submission, people["ward_officer"], version=submission.version,
                         sheet=april_sheet(city, month))
    assert Submission.objects.get().status == SubmissionStatus.DRAFT


def test_officer_cannot_submit_directly_when_the_head_reviews(head_reviews, draft, people, city, month):
    with pytest.raises(WorkflowError, match="lãnh đạo đơn vị duyệt rồi nộp PC06"):
        workflow.submit(draft, people["ward_officer"], version=draft.version, sheet=april_sheet(city, month))
    assert Submission.objects.get().status == SubmissionStatus.DRAFT and trail() == []


def test_officer_cannot_submit_through_the_heads_button_either(head_reviews, draft, client, city):
    client = logged_in(client, "ward_officer")
    response = client.post(reverse("sign_off", args=[draft.pk, "nop-pc06"]), {"version": draft.version}, follow=True)
    assert "lãnh đạo đơn vị duyệt rồi nộp PC06" in response.content.decode()
    assert Submission.objects.get().status == SubmissionStatus.DRAFT


def test_officer_cannot_edit_a_prepared_month_but_the_head_can(prepared, people, city, month):
    message = "Báo cáo đang chờ lãnh đạo đơn vị duyệt; chỉ sửa được khi lãnh đạo trả lại."
    assert prepared.editing_problem(people["ward_officer"]) == message
    with pytest.raises(WorkflowError, match=message):
        save(people["ward_officer"], city, month, {"ind.NEWS_PRESS": Decimal(13)}, version=prepared.version)
    with pytest.raises(WorkflowError, match=message):
        workflow.prepare(prepared, people["ward_officer"], version=prepared.version)
    assert prepared.editing_problem(people["ward_head"]) == ""
    assert prepared.editing_problem(people["compiler"]) == ""
    corrected = save(people["ward_head"], city, month, {"ind.NEWS_PRESS": Decimal(13)}, version=prepared.version)
    assert corrected.status == SubmissionStatus.PREPARED


def test_head_submits_the_prepared_month_and_the_submission_sets_its_timeliness(prepared, people, city, month):
    late = at(month["april"].deadline + datetime.timedelta(days=2))
    workflow.submit(prepared, people["ward_head"], version=prepared.version, sheet=april_sheet(city, month), now=late)
    assert prepared.status == SubmissionStatus.SUBMITTED
    assert (prepared.first_submitted_at, prepared.is_late, prepared.submitted_by) == (late, True, people["ward_head"])
    assert trail() == [("draft", "prepared", ""), ("prepared", "submitted", "")]


def test_timeliness_stays_the_first_submissions_through_another_round(prepared, people, month):
    on_time = at(month["april"].deadline)
    workflow.submit(prepared, people["ward_head"], version=prepared.version, now=on_time)
    workflow.return_to_unit(prepared, people["compiler"], version=prepared.version, comment="Kiểm tra số kết hôn.")
    workflow.prepare(prepared, people["ward_officer"], version=prepared.version)
    assert prepared.status == SubmissionStatus.PREPARED
    resubmitted = at(month["april"].deadline + datetime.timedelta(days=5))
    workflow.submit(prepared, people["ward_head"], version=prepared.version, now=resubmitted)
    assert (prepared.first_submitted_at, prepared.submitted_at, prepared.is_late) == (on_time, resubmitted, False)


def test_head_may_submit_a_draft_itself(head_reviews, draft, people):
    workflow.submit(draft, people["ward_head"], version=draft.version)
    assert draft.status == SubmissionStatus.SUBMITTED


def test_head_returns_the_month_to_the_officer_with_a_comment(prepared, people, city, month):
    with pytest.raises(WorkflowError, match="Ghi rõ nội dung cần cán bộ nhập liệu sửa"):
        workflow.return_to_officer(prepared, people["ward_head"], version=prepared.version, comment="   ")
    workflow.return_to_officer(prepared, people["ward_head"], version=prepared.version,
                               comment="Số kết hôn tăng bất thường, kiểm tra lại sổ.")
    assert prepared.status == SubmissionStatus.DRAFT
    assert trail()[-1] == ("prepared", "draft", "Số kết hôn tăng bất thường, kiểm tra lại sổ.")
    assert prepared.review_comment == ""      # PC06's field: the head's comment lives in the history
    fixed = save(people["ward_officer"], city, month, {"dvc.DVC24.count": Decimal(30)}, version=prepared.version)
    workflow.prepare(fixed, people["ward_officer"], version=fixed.version)
    assert fixed.status == SubmissionStatus.PREPARED


def test_only_the_units_head_or_pc06_returns_a_prepared_month_and_only_a_prepared_one(prepared, people, city):
    ward_head_elsewhere = conftest.make_user("head_ben_thanh", "head", city["ben_thanh"])
    for user in (people["ward_officer"], people["dept_officer"], people["leader"], ward_head_elsewhere):
        with pytest.raises(WorkflowError):
            workflow.return_to_officer(prepared, user, version=prepared.version, comment="Sửa lại.")
    workflow.return_to_officer(prepared, people["compiler"], version=prepared.version, comment="PC06 thay lãnh đạo.")
    with pytest.raises(WorkflowError, match="Không thể trả lại cán bộ nhập liệu báo cáo đang ở trạng thái “Đang nhập”"):
        workflow.return_to_officer(prepared, people["ward_head"], version=prepared.version, comment="Lần nữa.")


def test_the_heads_return_notifies_the_units_officers(prepared, people, reminder_rules, eager_tasks,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_to_officer(prepared, people["ward_head"], version=prepared.version,
                                   comment="Bổ sung số đúng hạn.")
    notices = Notification.objects.all()
    assert list(notices.values_list("user__username", flat=True)) == ["ward_officer"]
    assert "được lãnh đạo đơn vị trả lại" in notices.get().delivery.claim.subject
    assert "Bổ sung số đúng hạn." in notices.get().body


def test_a_unit_without_head_review_submits_directly_as_before(draft, people, city, month):
    assert not workflow.goes_to_head(draft, people["ward_officer"])
    with pytest.raises(WorkflowError, match="nộp báo cáo thẳng cho PC06"):
        workflow.prepare(draft, people["ward_officer"], version=draft.version)
    ApprovalChain.objects.create(kind=AgencyKind.WARD, head_reviews=False)
    workflow.submit(draft, people["ward_officer"], version=draft.version, sheet=april_sheet(city, month))
    assert draft.status == SubmissionStatus.SUBMITTED and trail() == [("draft", "submitted", "")]


def test_the_chain_is_by_kind_of_unit(head_reviews, people, city, month):
    department_month = Submission.objects.create(period=month["april"], agency=city["dept"])
    assert not workflow.goes_to_head(department_month, people["dept_officer"])
    ward_month = Submission.objects.create(period=month["april"], agency=city["ben_thanh"])
    assert workflow.goes_to_head(ward_month, conftest.make_user("officer_ben_thanh", "officer", city["ben_thanh"]))


# --- the entry page --------------------------------------------------------------------------------------


def test_officers_page_offers_to_send_to_the_head_and_says_what_sending_needs(head_reviews, client, people, city,
                                                                              month):
    html = logged_in(client, "ward_officer").get(entry_url(city)).content.decode()
    assert re.search(r'name="nop"[^>]*>Gửi lãnh đạo đơn vị duyệt</button>', html)
    assert "Nộp báo cáo</button>" not in html
    assert ("để gửi, mọi ô số và ô tình trạng phải có số liệu hoặc được đánh dấu “Không phát sinh” / “Chưa có số "
            "liệu”.") in html


def test_without_head_review_the_page_still_says_nop_bao_cao(client, people, city, month):
    html = logged_in(client, "ward_officer").get(entry_url(city)).content.decode()
    assert re.search(r'name="nop"[^>]*>Nộp báo cáo</button>', html)
    assert "Gửi lãnh đạo đơn vị duyệt" not in html
    assert "nhập 0 nếu không phát sinh" not in html


def test_heads_page_on_a_draft_submits(head_reviews, client, people, city, month):
    html = logged_in(client, "ward_head").get(entry_url(city)).content.decode()
    assert re.search(r'name="nop"[^>]*>Nộp báo cáo</button>', html)


def test_officer_sends_from_the_page_and_then_reads_it_locked(head_reviews, client, people, city, month):
    client = logged_in(client, "ward_officer")
    response = client.post(entry_url(city), {**form_data(month), "nop": ""}, follow=True)
    html = response.content.decode()
    assert "Đã gửi báo cáo Tháng 4/2024 để lãnh đạo đơn vị duyệt." in html
    assert Submission.objects.get().status == SubmissionStatus.PREPARED
    assert "Báo cáo đang chờ lãnh đạo đơn vị duyệt; chỉ sửa được khi lãnh đạo trả lại." in html
    assert 'data-testid="head-review"' not in html


def test_page_send_refused_when_incomplete_keeps_the_draft(head_reviews, client, people, city, month):
    client = logged_in(client, "ward_officer")
    response = client.post(entry_url(city), {**form_data(month, ind__NEWS_PRESS=""), "nop": ""}, follow=True)
    assert "Đã lưu nháp nhưng chưa gửi lãnh đạo đơn vị duyệt: Còn 1 ô chưa nhập" in response.content.decode()
    assert Submission.objects.get().status == SubmissionStatus.DRAFT


def march_figures(people, city, month):
    """March beside April's figures (fill_april): 0 → 35 marriages, resolved doubled, received +25%…"""
    values = {"dvc.DVC22.received": CellValue(number=Decimal(1000)),
              "dvc.DVC22.online": CellValue(number=Decimal(1100)),
              "dvc.DVC22.resolved": CellValue(number=Decimal(600)), "dvc.DVC24.count": CellValue(mark=CellMark.NONE),
              "ind.EID_ACTIVATED": CellValue(number=Decimal(7_800_000))}
    store.save_values(agency=city["ben_nghe"], period=month["march"], user=people["ward_officer"], values=values,
                      version=0)


def test_changes_since_last_month_biggest_relative_change_first_new_cells_last(prepared, people, city, month):
    march_figures(people, city, month)
    changes = signoff.changes(april_sheet(city, month), store.values_of(prepared),
                              store.previous_values(city["ben_nghe"], month["april"]))
    rows = [(change.key, change.previous, change.current, change.difference, change.relative) for change in changes]
    assert rows == [
        ("dvc.DVC24.count", "Không phát sinh", "35", "+35", ""),
        ("dvc.DVC22.resolved", "600", "1.200", "+600", "+100%"),
        ("dvc.DVC22.received", "1.000", "1.250", "+250", "+25%"),
        ("ind.EID_ACTIVATED", "7.800.000", "7.856.474", "+56.474", "+0,7%"),
        ("dvc.DVC22.online", "1.100", "1.100", "0", "0%"),
        ("dvc.DVC22.on_time", "—", "1.180", "mới", ""),
        ("ind.NEWS_PRESS", "—", "12", "mới", ""),
    ]


def test_a_fall_reads_negative_and_an_unknown_figure_comes_last(head_reviews, people, city, month):
    store.save_values(agency=city["ben_nghe"], period=month["march"], user=people["ward_officer"], version=0,
                      values={"ind.NEWS_PRESS": CellValue(number=Decimal(40)),
                              "ind.EID_ACTIVATED": CellValue(number=Decimal(10))})
    april = store.save_values(agency=city["ben_nghe"], period=month["april"], user=people["ward_officer"], version=0,
                              values={"ind.NEWS_PRESS": CellValue(number=Decimal(30)),
                                      "ind.EID_ACTIVATED": CellValue(mark=CellMark.UNKNOWN)})
    changes = signoff.changes(april_sheet(city, month), store.values_of(april),
                              store.previous_values(city["ben_nghe"], month["april"]))
    assert [(c.key, c.current, c.difference, c.relative, c.direction) for c in changes] == [
        ("ind.NEWS_PRESS", "30", "-10", "-25%", "down"),
        ("ind.EID_ACTIVATED", "Chưa có số liệu", "", "", ""),
    ]


def test_head_opens_a_prepared_month_and_reads_the_changes_at_the_top(prepared, people, client, city, month):
    march_figures(people, city, month)
    html = logged_in(client, "ward_head").get(entry_url(city)).content.decode()
    review = html.index('data-testid="head-review"')
    assert review < html.index('data-testid="entry-status"')
    keys = re.findall(r'<tr data-key="([^"]+)">', html)
    assert keys[:3] == ["dvc.DVC24.count", "dvc.DVC22.resolved", "dvc.DVC22.received"]
    assert keys[-2:] == ["dvc.DVC22.on_time", "ind.NEWS_PRESS"]
    assert "+250 (+25%)" in html and '<span class="badge">mới</span>' in html
    assert re.search(r'data-confirm="Nộp báo cáo Tháng 4/2024[^"]*"\s*>Nộp PC06</button>', html)
    assert "Trả lại cán bộ nhập liệu</button>" in html
    assert 'name="nop"' not in html      # the head decides from the review, not from the form's button


def test_pc06_sees_the_review_too_and_the_officer_does_not(prepared, client, city, month):
    assert 'data-testid="head-review"' in logged_in(client, "compiler").get(entry_url(city)).content.decode()
    client.logout()
    assert 'data-testid="head-review"' not in logged_in(client, "ward_officer").get(entry_url(city)).content.decode()


def test_head_returns_from_the_page_and_the_officer_reads_the_comment(prepared, client, city):
    head = logged_in(client, "ward_head")
    response = head.post(reverse("sign_off", args=[prepared.pk, "tra-lai-can-bo"]),
                         {"version": prepared.version, "comment": "Số khai sinh trực tuyến chưa khớp."}, follow=True)
    assert "Đã trả lại báo cáo cho cán bộ nhập liệu." in response.content.decode()
    client.logout()
    html = logged_in(client, "ward_officer").get(entry_url(city)).content.decode()
    comment = re.search(r'data-testid="head-comment">(.*?)</p>', html, re.S).group(1)
    assert "Lãnh đạo đơn vị trả lại" in comment and "Số khai sinh trực tuyến chưa khớp." in comment
    assert re.search(r'name="nop"[^>]*>Gửi lãnh đạo đơn vị duyệt</button>', html)


def test_head_return_without_a_comment_is_refused_on_the_page(prepared, client):
    response = logged_in(client, "ward_head").post(reverse("sign_off", args=[prepared.pk, "tra-lai-can-bo"]),
                                                   {"version": prepared.version, "comment": ""}, follow=True)
    assert "Ghi rõ nội dung cần cán bộ nhập liệu sửa" in response.content.decode()
    assert Submission.objects.get().status == SubmissionStatus.PREPARED


def test_head_submits_from_the_page(prepared, client, city):
    response = logged_in(client, "ward_head").post(reverse("sign_off", args=[prepared.pk, "nop-pc06"]),
                                                   {"version": prepared.version}, follow=True)
    html = response.content.decode()
    assert "Đã nộp báo cáo cho PC06" in html
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED
    assert 'data-testid="head-review"' not in html


def test_another_units_head_gets_a_404(prepared, client, city):
    conftest.make_user("head_q3", "head", city["vo_thi_sau"])
    response = logged_in(client, "head_q3").post(reverse("sign_off", args=[prepared.pk, "nop-pc06"]),
                                                 {"version": prepared.version})
    assert response.status_code == 404
    assert Submission.objects.get().status == SubmissionStatus.PREPARED


# --- the chain as data -----------------------------------------------------------------------------------


def test_load_catalogs_sets_wards_and_departments_to_head_review_and_keeps_pc06s_choice(db):
    call_command("load_catalogs", stdout=io.StringIO())
    assert dict(ApprovalChain.objects.values_list("kind", "head_reviews")) == {"ward": True, "department": True}
    ApprovalChain.objects.filter(kind="department").update(head_reviews=False)
    assert load_approval_chains().unchanged == 2
    assert not ApprovalChain.objects.get(kind="department").head_reviews
    assert load_approval_chains(update=True).updated == 1
    assert ApprovalChain.objects.get(kind="department").head_reviews


def test_pc06_edits_the_chain_in_the_admin_and_an_officer_cannot(head_reviews, client, people):
    url = reverse("admin:reporting_approvalchain_changelist")
    assert "Cấp xã (phường, xã, thị trấn)" in logged_in(client, "compiler").get(url).content.decode()
    client.logout()
    assert logged_in(client, "ward_officer").get(url).status_code in (302, 403)
