"""Issued versions keep the SHA-256 of their signed PDF, so the verification page recognises the issued file.

Versions signed before this migration are hashed from their stored file; a file the storage
cannot give back (a bucket unreachable, a file lost) leaves the hash empty rather than stop
the migration: that version is then simply not recognised.
"""

import hashlib
import logging

from django.db import migrations, models

logger = logging.getLogger(__name__)


def hash_signed_files(apps, schema_editor):
    ReportVersion = apps.get_model("reporting", "ReportVersion")
    signed = ReportVersion.objects.exclude(signed_pdf="").order_by("pk")
    for pk, name in signed.values_list("pk", "signed_pdf"):
        version = ReportVersion.objects.only("pk", "signed_pdf").get(pk=pk)
        digest = hashlib.sha256()
        try:
            with version.signed_pdf.open("rb") as stored:
                for chunk in stored.chunks():
                    digest.update(chunk)
        except Exception:   # whatever the storage raises for a missing or unreadable file
            logger.warning("Signed PDF %s of report version %s cannot be read; its hash stays empty", name, pk,
                           exc_info=True)
            continue
        ReportVersion.objects.filter(pk=pk).update(signed_sha256=digest.hexdigest())


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0017_manual_reminder'),
    ]

    operations = [
        migrations.AddField(
            model_name='reportversion',
            name='signed_sha256',
            field=models.CharField(blank=True, db_index=True, max_length=64,
                                   verbose_name='mã băm tệp PDF đã ký (SHA-256)'),
        ),
        migrations.RunPython(hash_signed_files, migrations.RunPython.noop),
    ]
