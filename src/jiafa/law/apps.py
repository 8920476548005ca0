from typing import Any

from django.apps import AppConfig
from django.db import DEFAULT_DB_ALIAS
from django.db.models.signals import post_migrate


class LawConfig(AppConfig):
    name = "jiafa.law"
    verbose_name = "法规库"

    def ready(self) -> None:
        post_migrate.connect(_sync_violation_catalogue, sender=self)


def _sync_violation_catalogue(sender: AppConfig, *, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """After every `migrate`, the packaged violation catalogue is brought into the database (new items and
    packaged updates); codes the bureau imported itself are left as they are (see law/catalogue.py)."""
    if using != DEFAULT_DB_ALIAS or not _has_catalogue_table(kwargs.get("apps")):
        return
    from jiafa.law import catalogue

    result = catalogue.sync_packaged()
    stdout = kwargs.get("stdout")
    if stdout is not None and kwargs.get("verbosity", 1) >= 1 and (result.created or result.kept):
        stdout.write(f"  违法行为库：新增内置版本 {len(result.created)} 个")
        if result.kept:
            stdout.write(f"  违法行为库：本局已修改、未采用内置新版本的事项：{'、'.join(result.kept)}")


def _has_catalogue_table(state: Any) -> bool:
    """False while migrating to a state before the catalogue existed; `flush` passes no state."""
    if state is None:
        return True
    try:
        state.get_model("law", "ViolationType")
    except LookupError:
        return False
    return True
