from functools import cached_property
from typing import Any

from django.db import models

from jiafa.law import violations


class HolidaySchedule(models.Model):
    """A year's State Council holiday schedule as loaded by the bureau (`jiafa law calendar load`).
    It replaces, for its year, what the chinese-calendar package knows."""

    year = models.PositiveSmallIntegerField("年度", unique=True)
    source = models.CharField("依据", max_length=300)
    document = models.JSONField("安排原文（JSON）")
    loaded_at = models.DateTimeField("导入时间", auto_now=True)
    loaded_by = models.CharField("导入人", max_length=150, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = verbose_name_plural = "节假日安排"

    def __str__(self) -> str:
        return f"{self.year} 年节假日安排"


class ImmutableVersionError(Exception):
    """A catalogue version was about to be changed or deleted; a change is a new version instead."""


class ViolationType(models.Model):
    """One version of a violation-catalogue item (违法行为库事项). Cases and decisions refer to a version by
    (code, version); a version is never changed or deleted — importing changed content adds version n+1.
    `document` is the item's canonical JSON (violations.to_document); the other columns repeat parts of it
    for listing and filtering."""

    class Origin(models.TextChoices):
        PACKAGED = "packaged", "系统内置"
        BUREAU = "bureau", "本局导入"

    code = models.CharField("编号", max_length=10)
    version = models.PositiveIntegerField("版本")
    effective_from = models.DateField("施行日期")
    name = models.CharField("违法行为", max_length=300)
    domain = models.CharField(
        "领域", max_length=20, choices=[(d.value, label) for d, (label, _) in violations.DOMAINS.items()]
    )
    non_site = models.BooleanField("可非现场执法")
    verified = models.BooleanField("条文已核对")
    document = models.JSONField("事项内容（JSON）")
    content_hash = models.CharField("内容摘要", max_length=64)
    origin = models.CharField("来源", max_length=10, choices=Origin.choices)
    loaded_at = models.DateTimeField("导入时间", auto_now_add=True)
    loaded_by = models.CharField("导入人", max_length=150, blank=True)

    class Meta:
        ordering = ["code", "version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="violation_type_version")]
        indexes = [models.Index(fields=["code", "effective_from"])]
        verbose_name = verbose_name_plural = "违法行为库"

    def __str__(self) -> str:
        return f"{self.code} v{self.version} {self.name}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise ImmutableVersionError(f"{self.code} v{self.version} 已入库，不能修改；请导入新版本")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableVersionError(f"{self.code} v{self.version} 可能已被案件引用，不能删除")

    @cached_property
    def item(self) -> violations.Item:
        """The parsed item. A version never changes, so it is parsed once per process (keyed by its content
        hash as well, so a database loaded anew with other content under the same number is parsed anew)."""
        key = (self.code, self.version, self.content_hash)
        found = _PARSED.get(key)
        if found is None:
            found = violations.parse_item(self.document, where=f"{self.code} v{self.version}")
            if len(_PARSED) >= PARSED_MAX:
                _PARSED.clear()
            _PARSED[key] = found
        return found


PARSED_MAX = 1024
_PARSED: dict[tuple[str, int, str], violations.Item] = {}
