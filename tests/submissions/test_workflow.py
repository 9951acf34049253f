"""Every transition of a submission, allowed and refused, at the model layer."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from reporting.choices import BoardStatus, SubmissionStatus
from reporting.models import StaleSubmission, StatusChange, Submission, WorkflowError
from reporting.submissions import workflow

from .helpers import april_sheet, fill_april, save

pytestmark = pytest.mark.django_db


def at(day):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(9, 0)))


@pytest.fixture
def draft(city, month, people):
    return fill_april(people["ward_officer"], city, month)


def test_submit_before_the_deadline_is_on_time_and_after_it_late(draft, people, month):
    workflow.submit(draft, people["ward_officer"], version=draft.version, now=at(month["april"].deadline))
    assert (draft.status, draft.board_status) == (SubmissionStatus.SUBMITTED, BoardStatus.ON_TIME)

    other = Submission.objects.create(period=month["april"], agency=people["ward_officer"].agency.parent)
    workflow.submit(other, people["compiler"], version=0, now=at(month["april"].deadline + datetime.timedelta(days=1)))
    assert other.board_status == BoardStatus.LATE


def test_submit_needs_every_number_and_status(city, month, people):
    submission = save(people["ward_officer"], city, month, {"dvc.DVC22.received": Decimal(5)})
    with pytest.raises(WorkflowError, match=r"Còn 8 ô chưa nhập \(Đăng ký khai sinh · Trực tuyến"):
        workflow.submit(submission, people["ward_officer"], sheet=april_sheet(city, month), version=submission.version)
    assert Submission.objects.get().status == SubmissionStatus.DRAFT


def test_a_unit_cannot_submit_another_units_report(draft, people):
    with pytest.raises(WorkflowError, match="không được nhập số liệu cho đơn vị này"):
        workflow.submit(draft, people["dept_officer"], version=draft.version)
    with pytest.raises(WorkflowError):
        workflow.submit(draft, people["leader"], version=draft.version)
    assert Submission.objects.get().status == SubmissionStatus.DRAFT


def test_only_pc06_returns_and_approves_and_never_a_draft(draft, people):
    with pytest.raises(WorkflowError, match="Không thể duyệt báo cáo đang ở trạng thái “Đang nhập”"):
        workflow.approve(draft, people["compiler"], version=draft.version)
    workflow.submit(draft, people["ward_head"], version=draft.version)
    for role in ("ward_head", "district_officer", "leader"):
        with pytest.raises(WorkflowError, match="Chỉ cán bộ tổng hợp PC06"):
            workflow.approve(draft, people[role], version=draft.version)
    with pytest.raises(WorkflowError, match="Ghi rõ nội dung"):
        workflow.return_to_unit(draft, people["compiler"], version=draft.version, comment="  ")
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_full_cycle_submit_return_fix_resubmit_approve_reopen(draft, people, city, month):
    officer, compiler = people["ward_officer"], people["compiler"]
    workflow.submit(draft, officer, version=draft.version)
    with pytest.raises(WorkflowError, match="đang chờ PC06"):
        save(officer, city, month, {"ind.NEWS_PRESS": Decimal(13)}, version=draft.version)

    workflow.return_to_unit(draft, compiler, version=draft.version, comment="Số đúng hạn chưa khớp sổ.")
    assert draft.status == SubmissionStatus.RETURNED and draft.review_comment == "Số đúng hạn chưa khớp sổ."
    fixed = save(officer, city, month, {"dvc.DVC22.on_time": Decimal(1150)}, version=draft.version)
    workflow.submit(fixed, officer, version=fixed.version)
    workflow.approve(fixed, compiler, version=fixed.version)
    assert fixed.status == SubmissionStatus.APPROVED

    with pytest.raises(WorkflowError, match="đã được duyệt nên không thể sửa"):
        save(compiler, city, month, {"ind.NEWS_PRESS": Decimal(1)}, version=fixed.version)
    with pytest.raises(WorkflowError, match="Ghi rõ lý do"):
        workflow.reopen(fixed, compiler, version=fixed.version, reason="")
    workflow.reopen(fixed, compiler, version=fixed.version, reason="Bộ Công an yêu cầu rà soát lại.")
    assert fixed.status == SubmissionStatus.RETURNED

    trail = list(StatusChange.objects.order_by("pk").values_list("from_status", "to_status"))
    assert trail == [("draft", "submitted"), ("submitted", "returned"), ("returned", "submitted"),
                     ("submitted", "approved"), ("approved", "returned")]


def test_a_transition_from_a_stale_page_is_refused(draft, people):
    stale_version = draft.version
    workflow.submit(draft, people["ward_officer"], version=stale_version)
    with pytest.raises(StaleSubmission):
        workflow.approve(draft, people["compiler"], version=stale_version)
    assert Submission.objects.get().status == SubmissionStatus.SUBMITTED


def test_entry_waits_for_the_window_and_stops_when_the_period_is_closed(city, people, month):
    from reporting.choices import PeriodStatus

    april = month["april"]
    with pytest.raises(WorkflowError, match="chưa mở: nhập số liệu từ ngày 15/03/2024"):
        Submission(period=april, agency=city["ben_nghe"]).ensure_editable(people["ward_officer"], datetime.date(2024, 3, 1))
    april.status = PeriodStatus.CLOSED
    april.save()
    with pytest.raises(WorkflowError, match="đã đóng"):
        save(people["ward_officer"], city, month, {"ind.NEWS_PRESS": Decimal(1)})
    assert not Submission.objects.exists()
