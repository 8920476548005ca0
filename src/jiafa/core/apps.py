from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "jiafa.core"
    verbose_name = "基础"

    def ready(self) -> None:
        from jiafa.core import signals  # noqa: F401  (connects the login audit receivers)
