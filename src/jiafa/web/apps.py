from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "jiafa.web"
    verbose_name = "界面"
