from django.apps import AppConfig


class SimulateConfig(AppConfig):
    name = "jiafa.simulate"
    verbose_name = "演示环境"
