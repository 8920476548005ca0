from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "jiafa.cases"
    verbose_name = "案件办理"
