from django.apps import AppConfig


class PermitsConfig(AppConfig):
    name = "jiafa.permits"
    verbose_name = "大件运输许可"
