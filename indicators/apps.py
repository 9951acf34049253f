from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "indicators"
    verbose_name = "Dịch vụ công, chỉ số và kế hoạch"
