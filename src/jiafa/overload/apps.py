from django.apps import AppConfig


class OverloadConfig(AppConfig):
    name = "jiafa.overload"
    verbose_name = "非现场治超"
