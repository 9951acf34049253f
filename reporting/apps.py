from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Đơn vị, tài khoản và kỳ báo cáo"

    def ready(self):
        from indicators.models import Indicator, Plan, PlanTarget, PlanTask, PlanTaskUnit, Service
        from models_pilot.models import PilotModel
        from reporting import stamps
        from reporting.dashboard import overview
        from reporting.models import Agency, ReportingPeriod, StatusChange
        from reporting.tasks import on_status_change

        post_save.connect(on_status_change, sender=StatusChange, dispatch_uid="reporting.returned_notice")
        # A submission's move (submitted, returned, approved, reopened) or an edit of what the dashboard
        # reads makes every cached dashboard stale.
        for model in (StatusChange, Agency, ReportingPeriod, Indicator, PlanTarget, PlanTask, PilotModel):
            for signal in (post_save, post_delete):
                signal.connect(overview.STAMP.bump, sender=model, dispatch_uid=f"overview.{model.__name__}.{signal}")
        # Who reports which service and indicator, who leads which model and task, what each indicator counts.
        for model in (Agency, Service, Indicator, PilotModel, Plan, PlanTask, PlanTaskUnit):
            for signal in (post_save, post_delete):
                signal.connect(stamps.CATALOG.bump, sender=model,
                               dispatch_uid=f"catalog.{model.__name__}.{signal}")
        for model in (Service, Indicator):
            m2m_changed.connect(stamps.CATALOG.bump, sender=model.reporter_agencies.through,
                                dispatch_uid=f"catalog.{model.__name__}.reporter_agencies")
