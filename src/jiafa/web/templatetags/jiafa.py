from typing import Any

from django import template
from django.http import QueryDict

from jiafa.core.audit import LABELS, OBJECT_LABELS
from jiafa.core.models import AuditEntry

register = template.Library()


@register.filter
def action_label(action: str) -> str:
    return LABELS.get(action, action)


@register.filter
def audit_object(entry: AuditEntry) -> str:
    """ "证据 #12" or "账号 hn1": what a person reading the trail needs to find the record."""
    label = OBJECT_LABELS.get(entry.object_type, entry.object_type)
    if entry.object_type in ("user", "file"):
        return f"{label} {entry.object_id}"
    return f"{label} #{entry.object_id}" if entry.object_id else label


@register.filter
def get_item(mapping: dict[str, object], key: str) -> object:
    return mapping.get(key, "")


@register.filter
def filesize(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024  # type: ignore[assignment]
    return ""


@register.simple_tag(takes_context=True)
def page_url(context: dict[str, Any], number: int) -> str:
    """The current list's address on page `number`, every filter kept: the view's `query` (the filters it
    applied, e.g. after a form was posted) or else the request's own."""
    query = context.get("query")
    params = QueryDict(query, mutable=True) if query is not None else context["request"].GET.copy()
    params["page"] = str(number)
    return "?" + params.urlencode()
