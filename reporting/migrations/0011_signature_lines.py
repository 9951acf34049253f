"""The signature block of any number of lines; a unit's report signed per unit kind."""

import django.db.models.deletion
from django.db import migrations, models


def lines_from_fields(apps, schema_editor):
    ReportSettings = apps.get_model("reporting", "ReportSettings")
    for settings in ReportSettings.objects.all():
        settings.signature_above = "\n".join(line for line in (settings.signer_authority, settings.signer_title) if line)
        settings.signature_below = settings.signer_name
        settings.save(update_fields=["signature_above", "signature_below"])


def fields_from_lines(apps, schema_editor):
    ReportSettings = apps.get_model("reporting", "ReportSettings")
    for settings in ReportSettings.objects.all():
        above = [line for line in settings.signature_above.splitlines() if line.strip()]
        settings.signer_authority = above[0] if len(above) > 1 else ""
        settings.signer_title = " ".join(above[1:] if len(above) > 1 else above)
        settings.signer_name = " ".join(line for line in settings.signature_below.splitlines() if line.strip())
        settings.save(update_fields=["signer_authority", "signer_title", "signer_name"])


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0010_report_files_in_storage"),
    ]

    operations = [
        migrations.AddField(
            model_name="reportsettings",
            name="signature_above",
            field=models.TextField(default="", help_text="Thẩm quyền và chức vụ, ví dụ KT. TRƯỞNG BAN / PHÓ TRƯỞNG BAN THƯỜNG TRỰC.",
                                   verbose_name="trên chữ ký (mỗi dòng một dòng)"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="reportsettings",
            name="signature_below",
            field=models.TextField(default="", help_text="Người ký, có thể kèm chức danh và cấp hàm, ví dụ Trung tướng Nguyễn Văn A.",
                                   verbose_name="dưới chữ ký (mỗi dòng một dòng)"),
            preserve_default=False,
        ),
        migrations.RunPython(lines_from_fields, fields_from_lines),
        # Defaults, so that migrating back can add the columns again to rows that exist.
        migrations.AlterField(model_name="reportsettings", name="signer_authority",
                              field=models.CharField(default="", max_length=100, verbose_name="thẩm quyền ký")),
        migrations.AlterField(model_name="reportsettings", name="signer_title",
                              field=models.CharField(default="", max_length=200, verbose_name="chức vụ người ký")),
        migrations.AlterField(model_name="reportsettings", name="signer_name",
                              field=models.CharField(default="", max_length=200, verbose_name="người ký")),
        migrations.RemoveField(model_name="reportsettings", name="signer_authority"),
        migrations.RemoveField(model_name="reportsettings", name="signer_title"),
        migrations.RemoveField(model_name="reportsettings", name="signer_name"),
        migrations.CreateModel(
            name="UnitSignature",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("agency_kind", models.CharField(choices=[("steering", "Ban Chỉ đạo"), ("police", "Công an (cơ quan thường trực)"), ("department", "Sở, ban, ngành"), ("district", "Cấp huyện (quận, huyện, TP Thủ Đức)"), ("ward", "Cấp xã (phường, xã, thị trấn)"), ("other", "Cơ quan khác")], max_length=20, verbose_name="loại đơn vị")),
                ("above", models.TextField(help_text="Ví dụ TM. ỦY BAN NHÂN DÂN / CHỦ TỊCH.",
                                           verbose_name="trên chữ ký (mỗi dòng một dòng)")),
                ("settings", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                               related_name="unit_signatures", to="reporting.reportsettings")),
            ],
            options={
                "verbose_name": "chữ ký báo cáo của đơn vị",
                "verbose_name_plural": "chữ ký báo cáo của đơn vị theo loại đơn vị",
                "constraints": [models.UniqueConstraint(fields=("settings", "agency_kind"),
                                                        name="one_unit_signature_per_kind",
                                                        violation_error_message="Loại đơn vị này đã có chữ ký.")],
            },
        ),
    ]
