"""Back up everything, restore into an empty database: an issued report regenerates with the same content hash."""

import shutil

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command

from reporting.models import Agency, Evidence, ReportVersion, Submission, ValueChange
from reporting.report import issue
from reporting.report.compose import compose

from .helpers import stored

# Transactional: a restore starts from a flushed database, and PostgreSQL will not TRUNCATE inside the test's transaction.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_restored_backup_holds_every_row_and_file_and_regenerates_the_issued_report(
        issued, compiler, media_root, tmp_path, capsys):
    submission = Submission.objects.get(agency__code="CATP", period=issued.period)
    evidence = Evidence.objects.create(submission=submission, file=ContentFile(b"%PDF-1.7 bien ban", name="bien-ban.pdf"),
                                       name="bien-ban.pdf", content_type="application/pdf", size=17,
                                       uploaded_by=compiler)
    counts = (Agency.objects.count(), ValueChange.objects.count(), Submission.objects.count())
    frozen = (issued.number, issued.content_sha256, stored(issued.pdf), stored(issued.docx), stored(issued.signed_pdf))
    archive = tmp_path / "sao-luu.tar.gz"
    call_command("backup", str(archive))
    assert "Đã sao lưu" in capsys.readouterr().out

    call_command("flush", interactive=False, verbosity=0)
    shutil.rmtree(media_root)
    assert not Agency.objects.exists() and not ReportVersion.objects.exists()

    call_command("restore", str(archive))
    assert "Đã phục hồi" in capsys.readouterr().out
    assert (Agency.objects.count(), ValueChange.objects.count(), Submission.objects.count()) == counts
    restored = ReportVersion.objects.get(pk=issued.pk)
    assert (restored.number, restored.content_sha256, stored(restored.pdf), stored(restored.docx),
            stored(restored.signed_pdf)) == frozen
    # The data behind it came back too: composing the same report again gives the same content.
    regenerated = compose(restored.period, final=True)
    assert issue.content_hash(regenerated) == restored.content_sha256
    assert Evidence.objects.get(pk=evidence.pk).file.read() == b"%PDF-1.7 bien ban"
    # New rows still get fresh ids after the restore.
    Agency.objects.create(code="MOI", name="Đơn vị mới", kind="other")

    with pytest.raises(CommandError, match="không trống"):
        call_command("restore", str(archive))


def test_a_file_that_is_not_a_backup_is_refused(tmp_path):
    import tarfile

    bogus = tmp_path / "khac.tar.gz"
    with tarfile.open(bogus, "w:gz"):
        pass
    with pytest.raises(CommandError, match="không phải bản sao lưu"):
        call_command("restore", str(bogus))
