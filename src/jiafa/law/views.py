"""The period calculator (期间计算器): a statutory deadline and the late fee, for every officer.

One page, two independent GET forms. Without JavaScript each is a plain GET form; with htmx the page swaps in
only the card that was submitted (hx-select), so one template serves both.
"""

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone

from jiafa.core.errors import JiafaError
from jiafa.core.http import AuthedRequest
from jiafa.law import deadlines, schedules
from jiafa.law.book import rulebook
from jiafa.law.deadlines import DeadlineKind

T = TypeVar("T")
_FIELDS = ("kind", "start", "fine", "due", "paid", "paused_from", "paused_to")


@login_required
def calculator(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    params = request.GET
    return render(
        request,
        "law/calculator.html",
        {
            "kinds": list(DeadlineKind),
            "values": _form_values(params, today),
            "deadline": _deadline_panel(params, today) if "kind" in params else None,
            "fee": _late_fee_panel(params) if "fine" in params else None,
        },
    )


def _form_values(params: QueryDict, today: date) -> dict[str, str]:
    """What the forms show: the values submitted, else today for the dates an officer usually means."""
    values = {name: params.get(name, "") for name in _FIELDS}
    for name in ("start", "paid"):
        values[name] = values[name] or today.isoformat()
    return values


def _deadline_panel(params: QueryDict, today: date) -> dict[str, object]:
    errors: dict[str, str] = {}
    kind = _parse(errors, "kind", lambda: deadlines.parse_kind(params.get("kind", "")))
    start = _parse(errors, "start", lambda: deadlines.parse_day(params.get("start", ""), "起算日"))
    panel: dict[str, object] = {"errors": errors}
    if kind is not None and start is not None:
        try:
            result = deadlines.deadline(kind, start, schedules.calendar(), rulebook())
        except JiafaError as e:
            panel["error"] = e.message
        else:
            days_left = (result.due - today).days
            panel |= {"result": result, "days_left": days_left, "relative": _relative(days_left)}
    return panel


def _relative(days_left: int) -> str:
    if days_left == 0:
        return "就是今天"
    return f"距今还有 {days_left} 天" if days_left > 0 else f"已过去 {-days_left} 天"


def _late_fee_panel(params: QueryDict) -> dict[str, object]:
    errors: dict[str, str] = {}
    fine = _parse(errors, "fine", lambda: deadlines.parse_fine(params.get("fine", "")))
    due = _parse(errors, "due", lambda: deadlines.parse_day(params.get("due", ""), "缴款期限"))
    paid = _parse(errors, "paid", lambda: deadlines.parse_day(params.get("paid", ""), "缴纳日"))
    paused = _parse(errors, "paused", lambda: _paused_interval(params))
    panel: dict[str, object] = {"errors": errors}
    if fine is not None and due is not None and paid is not None and paused is not None:
        try:
            result = deadlines.late_fee(fine, due, paid, rulebook(), paused=paused)
        except JiafaError as e:
            panel["error"] = e.message
        else:
            panel |= {"result": result, "total_yuan": fine + result.late_fee_yuan}
    return panel


def _paused_interval(params: QueryDict) -> list[tuple[date, date]]:
    """The optional review/lawsuit period: both days or neither."""
    first, last = params.get("paused_from", "").strip(), params.get("paused_to", "").strip()
    if not first and not last:
        return []
    return [deadlines.parse_paused(f"{first}/{last}")]


def _parse(errors: dict[str, str], field: str, parse: Callable[[], T]) -> T | None:
    """The parsed value, or None with the Chinese message recorded against the form field."""
    try:
        return parse()
    except JiafaError as e:
        errors[field] = e.message
        return None
