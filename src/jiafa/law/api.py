"""/api/v1/law: statutory deadlines and the late fee. Thin: the work is in law.deadlines."""

from datetime import date

from django.http import HttpRequest
from ninja import Query, Router

from jiafa.law import deadlines, schedules
from jiafa.law.book import rulebook
from jiafa.law.deadlines import DeadlineKind
from jiafa.law.schemas import DeadlineOut, LateFeeOut

router = Router(tags=["法规与期限"])


@router.get("/deadline", response=DeadlineOut, summary="法定期限：由起算日计算到期日及法律依据")
def deadline(request: HttpRequest, kind: DeadlineKind, start: date) -> dict[str, object]:
    return deadlines.deadline(kind, start, schedules.calendar(), rulebook()).as_json()


@router.get("/late-fee", response=LateFeeOut, summary="加处罚款：逾期缴纳罚款应加处的数额")
def late_fee(
    request: HttpRequest,
    fine: int,
    due: date,
    paid: date,
    paused: Query[list[str]] = [],  # noqa: B006 — ninja reads the default, never mutates it
) -> dict[str, object]:
    intervals = [deadlines.parse_paused(p) for p in paused]
    return deadlines.late_fee(fine, due, paid, rulebook(), paused=intervals).as_json()
