from django.apps import AppConfig


class ModelsPilotConfig(AppConfig):
    name = "models_pilot"
    verbose_name = "Mô hình điểm"
