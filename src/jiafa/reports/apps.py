from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "jiafa.reports"
    verbose_name = "统计与年报"
