"""The rulebook in force for this installation: the packaged rule files, overridden by the bureau's own files
in $JIAFA_DATA_DIR/rules/ (read once per process; restart the service after changing them)."""

from functools import lru_cache

from django.conf import settings

from jiafa.law import ruledata


@lru_cache(maxsize=1)
def rulebook() -> ruledata.RuleBook:
    return ruledata.load(ruledata.PACKAGED, settings.DATA_DIR / "rules")
