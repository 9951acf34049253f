import django.db.models.deletion
from django.db import migrations, models


def copy_predecessors(apps, schema_editor):
    """The plain links of before become successions of the whole unit (all a link could say)."""
    Agency = apps.get_model("reporting", "Agency")
    Succession = apps.get_model("reporting", "Succession")
    links = Agency.predecessors.through.objects.values_list("from_agency_id", "to_agency_id")
    Succession.objects.bulk_create([Succession(successor_id=successor, predecessor_id=predecessor, share="whole")
                                    for successor, predecessor in links])


class Migration(migrations.Migration):

    dependencies = [
        ("reporting", "0014_periods_on_demand_first_submission"),
    ]

    operations = [
        migrations.CreateModel(
            name="Succession",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("share", models.CharField(choices=[("whole", "Toàn bộ"), ("part", "Một phần")], default="whole",
                                           max_length=10, verbose_name="phần được nhập")),
                ("source", models.CharField(blank=True, max_length=255, verbose_name="nguồn")),
                ("predecessor", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                  related_name="successor_links", to="reporting.agency",
                                                  verbose_name="đơn vị tiền thân")),
                ("successor", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                related_name="predecessor_links", to="reporting.agency",
                                                verbose_name="đơn vị kế thừa")),
            ],
            options={
                "verbose_name": "đơn vị tiền thân",
                "verbose_name_plural": "đơn vị tiền thân",
                "ordering": ["successor", "predecessor__code"],
                "constraints": [
                    models.UniqueConstraint(fields=("successor", "predecessor"), name="one_succession_per_pair",
                                            violation_error_message="Đơn vị tiền thân này đã được ghi."),
                    models.CheckConstraint(condition=models.Q(("successor", models.F("predecessor")), _negated=True),
                                           name="succession_not_self",
                                           violation_error_message="Một đơn vị không thể là tiền thân của chính nó."),
                ],
            },
        ),
        migrations.RunPython(copy_predecessors, migrations.RunPython.noop),
        migrations.RemoveField(model_name="agency", name="predecessors"),
        migrations.AddField(
            model_name="agency",
            name="predecessors",
            field=models.ManyToManyField(blank=True, help_text="Các đơn vị được sáp nhập, chia tách thành đơn vị này.",
                                         related_name="successors", through="reporting.Succession",
                                         through_fields=("successor", "predecessor"), to="reporting.agency",
                                         verbose_name="đơn vị tiền thân"),
        ),
    ]
