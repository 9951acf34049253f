"""What a service reports becomes data: a Measure catalog, and each service's measures chosen from it.

The fixed pair ("full": received, online, resolved, on time; "count": one count) becomes the five
measures existing values are stored under, so no DataValue key changes. Backwards, a service that
reports only the count is "count" again and any other is "full" (measures added since are lost).
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

# (code, label, definition, part of, order): as fixtures/measures.csv gives them, so a later
# load_catalogs finds them unchanged; the measures not yet in use come with the fixture.
MEASURES = [
    ("received", "Tiếp nhận", "Tổng số hồ sơ tiếp nhận trong kỳ, gồm cả trực tuyến và trực tiếp.", None, 2),
    ("online", "Trực tuyến",
     "Số hồ sơ tiếp nhận trực tuyến (qua Cổng Dịch vụ công) trong kỳ; là một phần của số tiếp nhận.", "received", 3),
    ("resolved", "Đã giải quyết", "Số hồ sơ đã giải quyết xong trong kỳ, đúng hạn và quá hạn.", None, 6),
    ("on_time", "Đúng hạn", "Số hồ sơ đã giải quyết đúng hạn trong kỳ; là một phần của số đã giải quyết.",
     "resolved", 7),
    ("count", "Số lượng", "Số hồ sơ (hoặc trường hợp) trong kỳ, khi dịch vụ chỉ báo cáo một số lượng.", None, 8),
]
FULL = ["received", "online", "resolved", "on_time"]
COUNT = ["count"]


def create_measures(apps, schema_editor):
    Measure = apps.get_model("indicators", "Measure")
    created = {}
    for code, label, definition, part_of, order in MEASURES:
        created[code], _ = Measure.objects.get_or_create(code=code, defaults={
            "label": label, "definition": definition, "part_of": created.get(part_of), "order": order,
            "source": "migration indicators 0004: the measures of the former fixed pair (full, count)"})


def measures_from_pair(apps, schema_editor):
    Service, Measure = apps.get_model("indicators", "Service"), apps.get_model("indicators", "Measure")
    by_code = {measure.code: measure for measure in Measure.objects.all()}
    for service in Service.objects.all():
        service.measures.set([by_code[code] for code in (COUNT if service.measure_set == "count" else FULL)])


def pair_from_measures(apps, schema_editor):
    Service = apps.get_model("indicators", "Service")
    for service in Service.objects.prefetch_related("measures"):
        codes = [measure.code for measure in service.measures.all()]
        service.measure_set = "count" if codes == COUNT else "full"
        service.save(update_fields=["measure_set"])


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0003_indicator_on_dashboard'),
    ]

    operations = [
        migrations.CreateModel(
            name='Measure',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.CharField(help_text='Phần cuối của mã ô số liệu, ví dụ to_resolve; đã có số liệu thì không đổi mã.', max_length=30, unique=True, validators=[django.core.validators.RegexValidator('^[a-z0-9_]+$', 'Mã chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới (_).')], verbose_name='mã')),
                ('label', models.CharField(help_text='Ví dụ: Tiếp nhận.', max_length=60, verbose_name='tên cột')),
                ('definition', models.CharField(blank=True, help_text='Một dòng hiện dưới tên cột ở trang nhập số liệu, nói rõ số nào được tính.', max_length=300, verbose_name='định nghĩa')),
                ('cumulative', models.BooleanField(default=False, help_text='Số cộng dồn đến cuối kỳ: tổng hợp nhiều tháng lấy số của tháng cuối, không cộng các tháng.', verbose_name='lũy kế đến nay')),
                ('order', models.PositiveSmallIntegerField(default=0, verbose_name='thứ tự')),
                ('source', models.TextField(blank=True, verbose_name='nguồn')),
                ('part_of', models.ForeignKey(blank=True, help_text='Ví dụ: trực tuyến là một phần của tiếp nhận. Dịch vụ báo cáo cả hai thì phần không được lớn hơn tổng.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='parts', to='indicators.measure', verbose_name='là một phần của')),
            ],
            options={
                'verbose_name': 'chỉ tiêu báo cáo của dịch vụ công',
                'verbose_name_plural': 'chỉ tiêu báo cáo của dịch vụ công',
                'ordering': ['order', 'code'],
                'constraints': [models.CheckConstraint(condition=models.Q(models.Q(('code__contains', '.'), _negated=True), models.Q(('code', ''), _negated=True)), name='measure_code_has_no_dot', violation_error_message='Mã chỉ tiêu không được trống hay chứa dấu chấm.'), models.CheckConstraint(condition=models.Q(('part_of', models.F('pk')), _negated=True), name='measure_not_part_of_itself', violation_error_message='Chỉ tiêu không thể là một phần của chính nó.')],
            },
        ),
        migrations.RunPython(create_measures, migrations.RunPython.noop),
        migrations.RenameField(model_name='service', old_name='measures', new_name='measure_set'),
        migrations.AddField(
            model_name='service',
            name='measures',
            field=models.ManyToManyField(help_text='Các số dịch vụ báo cáo hằng tháng, mỗi chỉ tiêu một ô; ví dụ tiếp nhận, trực tuyến, đã giải quyết.', related_name='services', to='indicators.measure', verbose_name='chỉ tiêu báo cáo'),
        ),
        migrations.RunPython(measures_from_pair, pair_from_measures),
        migrations.RemoveField(model_name='service', name='measure_set'),
    ]
