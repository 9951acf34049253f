from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_save


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Đơn vị, tài khoản và kỳ báo cáo"

    def ready(self):
        from django.apps import apps

        from de_an_06.text import guard_model_text
        guard_model_text([apps.get_app_config(label) for label in ("reporting", "indicators", "models_pilot")])
        from indicators.models import Indicator, Measure, Plan, PlanTarget, PlanTask, PlanTaskUnit, Service
        from models_pilot.models import ModelProgramme, PilotModel
        from reporting import stamps
        from reporting.models import Agency, ApprovalChain, ReportingPeriod, Succession

        # Who reports which service and indicator (a successor inherits its predecessors'), what each service
        # measures and each indicator counts, who leads which model and task, the plan's targets, the periods'
        # windows and deadlines, whose head reviews before PC06: what the sheets, the entry pages and the
        # dashboards are built from. A submission's status moves stamps.FIGURES in the workflow itself.
        for model in (Agency, Succession, ReportingPeriod, ApprovalChain, Measure, Service, Indicator, ModelProgramme,
                      PilotModel, Plan, PlanTarget, PlanTask, PlanTaskUnit):
            for signal in (post_save, post_delete):
                signal.connect(stamps.CATALOG.bump, sender=model,
                               dispatch_uid=f"catalog.{model.__name__}.{signal}")
        for through in (Service.reporter_agencies.through, Indicator.reporter_agencies.through,
                        Service.measures.through):
            m2m_changed.connect(stamps.CATALOG.bump, sender=through, dispatch_uid=f"catalog.{through.__name__}")
        stamps.remember_during_requests()
