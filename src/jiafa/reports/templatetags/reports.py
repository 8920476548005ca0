"""How the dashboard writes its numbers: shares as percentages, changes with their sign."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def pct(value: Any, digits: int = 2) -> str:
    return "—" if value is None else f"{value * 100:.{digits}f}%"


@register.filter
def signed(value: Any, kind: str = "count") -> str:
    if value is None:
        return ""
    if kind == "share":
        return f"{value * 100:+.2f} 个百分点"
    if kind == "days":
        return f"{value:+.1f} 天"
    return f"{value:+,}"


@register.filter
def thousands(value: Any) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else str(value)
