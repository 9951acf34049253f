"""Issued reports' PDF, DOCX and signed PDF move from database columns to files in the storage backend.

The old columns are renamed ``*_bytes``, the file fields added under the old names,
each row's bytes written as files, and the old columns dropped; backwards, the files
are read back into the columns. The old columns are made nullable first so that the
way back can add them to a table that already has rows and fill them before
``NOT NULL`` returns. Files are left in the storage on the way back: the storage is
no part of the migration's transaction.
"""

from django.core.files.base import ContentFile
from django.db import migrations, models

import reporting.models.report_versions

# (file field, its bytes column, the file's name in the version's folder)
FILES = [("pdf", "pdf_bytes", "bao-cao.pdf"), ("docx", "docx_bytes", "bao-cao.docx"),
         ("signed_pdf", "signed_pdf_bytes", "bao-cao-da-ky.pdf")]


def _versions(apps):
    """Each version, read one at a time: a city's years of reports need not fit in memory at once."""
    ReportVersion = apps.get_model("reporting", "ReportVersion")
    for pk in ReportVersion.objects.order_by("pk").values_list("pk", flat=True):
        yield ReportVersion.objects.select_related("period").get(pk=pk)


def bytes_to_files(apps, schema_editor):
    for version in _versions(apps):
        for field, column, name in FILES:
            content = getattr(version, column)
            if content is not None:
                getattr(version, field).save(name, ContentFile(bytes(content)), save=False)
        version.save(update_fields=[field for field, _, _ in FILES])


def files_to_bytes(apps, schema_editor):
    for version in _versions(apps):
        for field, column, _ in FILES:
            stored = getattr(version, field)
            if stored:
                with stored.open("rb"):
                    setattr(version, column, stored.read())
        version.save(update_fields=[column for _, column, _ in FILES])


def _file_field(verbose_name, **extra):
    return models.FileField(max_length=200, upload_to=reporting.models.report_versions.report_file_path,
                            verbose_name=verbose_name, **extra)


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0009_import_kind_plan'),
    ]

    operations = [
        migrations.AlterField(model_name='reportversion', name='pdf',
                              field=models.BinaryField(null=True, verbose_name='tệp PDF')),
        migrations.AlterField(model_name='reportversion', name='docx',
                              field=models.BinaryField(null=True, verbose_name='tệp DOCX')),
        migrations.RenameField(model_name='reportversion', old_name='pdf', new_name='pdf_bytes'),
        migrations.RenameField(model_name='reportversion', old_name='docx', new_name='docx_bytes'),
        migrations.RenameField(model_name='reportversion', old_name='signed_pdf', new_name='signed_pdf_bytes'),
        migrations.AddField(model_name='reportversion', name='pdf',
                            field=_file_field('tệp PDF', default=''), preserve_default=False),
        migrations.AddField(model_name='reportversion', name='docx',
                            field=_file_field('tệp DOCX', default=''), preserve_default=False),
        migrations.AddField(model_name='reportversion', name='signed_pdf',
                            field=_file_field('tệp PDF đã ký', blank=True)),
        migrations.RunPython(bytes_to_files, files_to_bytes),
        migrations.RemoveField(model_name='reportversion', name='pdf_bytes'),
        migrations.RemoveField(model_name='reportversion', name='docx_bytes'),
        migrations.RemoveField(model_name='reportversion', name='signed_pdf_bytes'),
    ]
