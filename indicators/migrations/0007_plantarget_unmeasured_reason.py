"""Why a target of the plan is not measured (issue 20): the dashboard prints the catalog's reason, not a blank.

A database loaded before this migration keeps its targets (load_catalogs leaves existing rows alone), so the
reasons of fixtures/plan_1302_2024_targets.csv are copied onto plan 1302's targets that still have neither an
indicator nor a reason; a target PC06 has linked or explained since is left as it is. Backwards the field goes.
"""

import csv
from pathlib import Path

from django.conf import settings
from django.db import migrations, models

FIXTURE = Path(settings.BASE_DIR) / "fixtures" / "plan_1302_2024_targets.csv"


def copy_reasons(apps, schema_editor):
    PlanTarget = apps.get_model("indicators", "PlanTarget")
    if not FIXTURE.exists():
        return
    with FIXTURE.open(encoding="utf-8") as rows:
        reasons = {row["code"]: row["unmeasured_reason"] for row in csv.DictReader(rows) if row["unmeasured_reason"]}
    for target in PlanTarget.objects.filter(plan__number="1302/KH-UBND", indicator=None, unmeasured_reason="",
                                            code__in=reasons):
        target.unmeasured_reason = reasons[target.code]
        target.save(update_fields=["unmeasured_reason"])


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0006_service_is_shared_total'),
    ]

    operations = [
        migrations.AddField(
            model_name='plantarget',
            name='unmeasured_reason',
            field=models.TextField(blank=True, help_text='Khi chưa gắn chỉ số: danh mục thiếu số liệu gì để đo chỉ tiêu này. Trang điều hành in lý do này.', verbose_name='vì sao chưa đo được'),
        ),
        migrations.RunPython(copy_reasons, migrations.RunPython.noop),
    ]
