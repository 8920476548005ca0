from django.db import models


class DemoWorld(models.Model):
    """Marks a database as a demo world, so `jiafa demo --reset` never wipes a real bureau's data."""

    seed = models.IntegerField()
    built_at = models.DateTimeField(auto_now_add=True)
    scale = models.FloatField(default=0)  # 0: people only, no simulated year
    year = models.IntegerField(null=True, blank=True)
    summary = models.JSONField(default=dict, blank=True)  # what the simulated year produced; empty until done

    def __str__(self) -> str:
        return f"demo world (seed {self.seed})"
