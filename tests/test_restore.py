"""A restore brings back exactly what was backed up, or nothing at all, and sets nothing in motion.

Exactly: every timestamp to the microsecond (the audit's included), every row as it was, no field
"touched" on the way in. Nothing at all: a damaged archive is a Vietnamese message and an empty
database, never half of one. Nothing in motion: a restored report that PC06 had returned does not
notify its unit a second time, and no task is queued.
"""

import datetime
import gzip
import io
import json
import shutil
import tarfile

import pytest
from celery.app.task import Task
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from reporting.models import (
    Agency, Delivery, Evidence, Notification, ReminderClaim, StatusChange, Submission, ValueChange,
)
from reporting.operations import backup as backup_module
from reporting.submissions import workflow

from .submissions.helpers import fill_april

# Transactional: a restore starts from a flushed database; PostgreSQL will not TRUNCATE inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)
# Microseconds that a millisecond-precision encoder (Django's JSON fixtures) would cut.
EXACT = datetime.datetime(2024, 4, 12, 9, 30, 15, 123456, tzinfo=datetime.UTC)


@pytest.fixture
def returned(city, month, people, reminder_rules, eager_tasks):
    """Bến Nghé's April, submitted and returned by PC06: the unit was notified (in the app and by e-mail)."""
    for user in people.values():
        user.email = f"{user.username}@example.vn"
        user.save()
    submission = fill_april(people["ward_officer"], city, month)
    workflow.submit(submission, people["ward_officer"], version=submission.version)
    workflow.return_to_unit(submission, people["compiler"], version=submission.version,
                            comment="Số hồ sơ trực tuyến lớn hơn số tiếp nhận.")
    assert Notification.objects.filter(delivery__claim__occasion__startswith="tra-lai-").count() == 2
    return submission


def snapshot():
    """Every row of every table a backup holds, as the database returns it (timestamps to the microsecond)."""
    rows = {}
    for label in backup_module.dumped_models():
        model = apps.get_model(label)
        rows[label] = sorted(model._base_manager.values_list(), key=repr)
    return rows


def empty_database(media_root):
    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root, ignore_errors=True)


def add_evidence(submission):
    return Evidence.objects.create(
        submission=submission, file=ContentFile(b"%PDF-1.7 bien ban", name="bien-ban.pdf"), name="bien-ban.pdf",
        content_type="application/pdf", size=17, uploaded_by=ValueChange.objects.first().changed_by)


def test_a_restore_is_exact_to_the_microsecond_and_sends_nothing(returned, media_root, tmp_path, monkeypatch):
    change = ValueChange.objects.filter(submission=returned).first()
    ValueChange.objects.filter(pk=change.pk).update(changed_at=EXACT)
    StatusChange.objects.filter(submission=returned).update(changed_at=EXACT + datetime.timedelta(microseconds=1))
    add_evidence(returned)
    before = snapshot()
    notices, deliveries = Notification.objects.count(), Delivery.objects.count()
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    empty_database(media_root)

    queued = []
    monkeypatch.setattr(Task, "apply_async", lambda task, *args, **kwargs: queued.append(task.name))
    call_command("restore", str(archive), stdout=io.StringIO())

    assert ValueChange.objects.get(pk=change.pk).changed_at == EXACT
    assert snapshot() == before
    assert (Notification.objects.count(), Delivery.objects.count()) == (notices, deliveries)
    assert queued == []
    assert Evidence.objects.get().file.read() == b"%PDF-1.7 bien ban"


def test_rows_that_migrate_made_in_the_new_database_take_the_archived_values(returned, media_root, tmp_path):
    from indicators.models import Measure

    archived = {measure.pk: (measure.code, measure.label) for measure in Measure.objects.all()}
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    empty_database(media_root)
    # A freshly migrated database holds the measures its data migration made: same ids and codes, its own wording.
    Measure.objects.bulk_create([Measure(pk=pk, code=code, label="Do migrate tạo")
                                 for pk, (code, _) in list(archived.items())[:3]])
    call_command("restore", str(archive), stdout=io.StringIO())
    assert {measure.pk: (measure.code, measure.label) for measure in Measure.objects.all()} == archived


def rewrite(archive, target, change):
    """A copy of ``archive`` with ``change(members)`` applied to its {name: bytes}."""
    with tarfile.open(archive, "r:gz") as source:
        members = {member.name: source.extractfile(member).read() for member in source.getmembers()}
    change(members)
    with tarfile.open(target, "w:gz") as copy:
        for name, content in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            copy.addfile(info, io.BytesIO(content))
    return target


def _break_last_row(members):
    rows = json.loads(members["data.json"])
    rows[-1]["fields"] = {"no_such_field": 1}
    members["data.json"] = json.dumps(rows).encode()


def _dangling_reference(members):
    rows = json.loads(members["data.json"])
    change = next(row for row in rows if row["model"] == "reporting.valuechange")
    change["fields"]["submission"] = 987654
    members["data.json"] = json.dumps(rows).encode()


def _not_json(members):
    members["data.json"] = members["data.json"][:-40]


def _duplicate_code(members):
    rows = json.loads(members["data.json"])
    first, second = [row for row in rows if row["model"] == "reporting.agency"][:2]
    second["fields"]["code"] = first["fields"]["code"]          # two units, one unique code
    members["data.json"] = json.dumps(rows).encode()


@pytest.mark.parametrize("damage", [_break_last_row, _dangling_reference, _not_json, _duplicate_code])
def test_a_damaged_archive_changes_nothing_and_says_why_in_vietnamese(returned, media_root, tmp_path, damage):
    add_evidence(returned)
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    empty_database(media_root)
    damaged = rewrite(archive, tmp_path / "hong.tar.gz", damage)

    with pytest.raises(CommandError, match="Không phục hồi được") as refused:
        call_command("restore", str(damaged), stdout=io.StringIO())
    assert "Traceback" not in str(refused.value)
    assert all(not rows for rows in snapshot().values())
    assert not media_root.exists() or not any(path.is_file() for path in media_root.rglob("*"))
    call_command("restore", str(archive), stdout=io.StringIO())        # the good archive still restores
    assert Agency.objects.exists() and ReminderClaim.objects.exists()


def test_a_file_that_cannot_be_put_back_undoes_the_rows_and_the_other_files(returned, media_root, tmp_path):
    # Files go back in name order: the clashing one is the last, after the other was written.
    kept, clashing = sorted([add_evidence(returned), add_evidence(returned)], key=lambda evidence: evidence.file.name)
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    empty_database(media_root)
    (media_root / clashing.file.name).parent.mkdir(parents=True)
    (media_root / clashing.file.name).write_bytes(b"another file under the same name")

    with pytest.raises(CommandError, match="khác với tệp trong bản sao lưu"):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert all(not rows for rows in snapshot().values())
    assert not (media_root / kept.file.name).exists()
    assert (media_root / clashing.file.name).read_bytes() == b"another file under the same name"


def test_a_truncated_archive_changes_nothing(returned, media_root, tmp_path):
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    empty_database(media_root)
    truncated = tmp_path / "cut.tar.gz"
    truncated.write_bytes(archive.read_bytes()[: archive.stat().st_size * 2 // 3])
    with pytest.raises(CommandError, match="Không phục hồi được"):
        call_command("restore", str(truncated), stdout=io.StringIO())
    assert not Submission.objects.exists() and not Agency.objects.exists()


def test_a_file_that_is_not_an_archive_is_refused_in_vietnamese(db, tmp_path):
    bogus = tmp_path / "khong-phai.tar.gz"
    bogus.write_bytes(gzip.compress(b"khong phai tar"))
    with pytest.raises(CommandError, match="Không phục hồi được"):
        call_command("restore", str(bogus), stdout=io.StringIO())
    missing = tmp_path / "khong-co.tar.gz"
    with pytest.raises(CommandError, match="Không phục hồi được"):
        call_command("restore", str(missing), stdout=io.StringIO())
