from django.db import models


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
