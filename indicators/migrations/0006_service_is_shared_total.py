"""One owner per service at the city level (issue 18): the flag for the exception, and the two rows that broke the rule.

The 2024 fixture gave DVC14 to both Sở LĐ-TB&XH and BHXH TP and DVC15 to both Sở Tư pháp and Sở LĐ-TB&XH, so the
city total added each unit's figures. A database loaded from it keeps those rows (load_catalogs leaves existing
rows alone), so the migration drops the second unit where a service still has exactly the pair the fixture gave;
a pair PC06 has changed since is left as it is. Why Sở LĐ-TB&XH keeps both: fixtures/README.md, "Who reports a
service". Backwards the flag goes and the pairs are not restored: they were the fault.
"""

from django.db import migrations, models

# service code → (the pair the fixture loaded, the unit that stops reporting it)
FIXED = {
    "DVC14": ({"SLDTBXH", "BHXHTP"}, "BHXHTP"),
    "DVC15": ({"STP", "SLDTBXH"}, "STP"),
}


def drop_second_owners(apps, schema_editor):
    Service = apps.get_model("indicators", "Service")
    for service in Service.objects.filter(code__in=FIXED).prefetch_related("reporter_agencies"):
        pair, dropped = FIXED[service.code]
        agencies = {agency.code: agency for agency in service.reporter_agencies.all()}
        if set(agencies) == pair:
            service.reporter_agencies.remove(agencies[dropped])


class Migration(migrations.Migration):

    dependencies = [
        ('indicators', '0005_service_portal_connection'),
    ]

    operations = [
        migrations.AddField(
            model_name='service',
            name='is_shared_total',
            field=models.BooleanField(default=False, help_text='Chỉ chọn khi văn bản giao nhiều đơn vị cấp thành phố, mỗi đơn vị báo cáo một phần của cùng một tổng số (số liệu được cộng lại và báo cáo ghi rõ). Không chọn thì chỉ một đơn vị cấp thành phố báo cáo dịch vụ này.', verbose_name='nhiều đơn vị cùng báo cáo một tổng số'),
        ),
        migrations.RunPython(drop_second_owners, migrations.RunPython.noop),
    ]
