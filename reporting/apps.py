from django.apps import AppConfig
from django.db.models.signals import post_save


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Đơn vị, tài khoản và kỳ báo cáo"

    def ready(self):
        from .models import StatusChange
        from .tasks import on_status_change

        post_save.connect(on_status_change, sender=StatusChange, dispatch_uid="reporting.returned_notice")
