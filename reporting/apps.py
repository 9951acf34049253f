from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Đơn vị, tài khoản và kỳ báo cáo"

    def ready(self):
        from indicators.models import Indicator, PlanTarget, PlanTask
        from models_pilot.models import PilotModel

        from . import dashboard
        from .models import Agency, ReportingPeriod, StatusChange
        from .tasks import on_status_change

        post_save.connect(on_status_change, sender=StatusChange, dispatch_uid="reporting.returned_notice")
        # A submission's move (submitted, returned, approved, reopened) or an edit of what the dashboard
        # reads makes every cached dashboard stale.
        for model in (StatusChange, Agency, ReportingPeriod, Indicator, PlanTarget, PlanTask, PilotModel):
            for signal in (post_save, post_delete):
                signal.connect(dashboard.invalidate, sender=model, dispatch_uid=f"dashboard.{model.__name__}.{signal}")
