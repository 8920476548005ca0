from django.apps import AppConfig


class LawConfig(AppConfig):
    name = "jiafa.law"
    verbose_name = "法规库"
