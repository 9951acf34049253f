"""UnitTotal's month and unit, filled in by 0022, are required; the approved months are added up."""

import django.db.models.deletion
from django.db import migrations, models


def add_up_approved_months(apps, schema_editor):
    # The months approved before the totals existed (and again those an earlier 0020 added up). This runs
    # the application's own code (the rules of consolidation are not worth freezing twice): it reads
    # DataValue, Submission and the totals as they are at this migration; a later change of those models
    # must give this step a frozen copy.
    from reporting.figures import totals

    totals.rebuild()


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0022_unit_total_by_month'),
    ]

    operations = [
        migrations.AlterField(
            model_name='unittotal',
            name='agency',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+',
                                    to='reporting.agency'),
        ),
        migrations.AlterField(
            model_name='unittotal',
            name='period',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+',
                                    to='reporting.reportingperiod'),
        ),
        migrations.RunPython(add_up_approved_months, migrations.RunPython.noop),
    ]
