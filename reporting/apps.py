from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = "Đơn vị, tài khoản và kỳ báo cáo"
