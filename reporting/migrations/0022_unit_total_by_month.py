"""UnitTotal keeps its submission's month and unit: the rows kept so far take them from their submission.

Required in 0023: on PostgreSQL a column cannot change in the transaction that updated its rows under
deferred foreign keys ("pending trigger events").
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_from_submissions(apps, schema_editor):
    UnitTotal = apps.get_model("reporting", "UnitTotal")
    Submission = apps.get_model("reporting", "Submission")
    own = Submission.objects.filter(pk=OuterRef("submission_id"))
    UnitTotal.objects.update(period_id=Subquery(own.values("period_id")[:1]),
                             agency_id=Subquery(own.values("agency_id")[:1]))


class Migration(migrations.Migration):

    dependencies = [
        ('reporting', '0021_value_by_key'),
    ]

    operations = [
        migrations.AddField(
            model_name='unittotal',
            name='agency',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+',
                                    to='reporting.agency'),
        ),
        migrations.AddField(
            model_name='unittotal',
            name='period',
            field=models.ForeignKey(null=True, on_delete=django.db.models.deletion.CASCADE, related_name='+',
                                    to='reporting.reportingperiod'),
        ),
        migrations.RunPython(copy_from_submissions, migrations.RunPython.noop),
    ]
