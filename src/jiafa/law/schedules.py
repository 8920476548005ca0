"""The work calendar in force: the chinese-calendar package's years, with each year the bureau loaded
replacing the package's version of that year."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django.db import connection, transaction

from jiafa.core import audit
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law.calendar import ScheduleFormatError, WorkCalendar, from_chinese_calendar, parse_year_schedule
from jiafa.law.models import HolidaySchedule


@lru_cache(maxsize=1)
def _package_calendar() -> WorkCalendar:
    return from_chinese_calendar()


def calendar() -> WorkCalendar:
    """Asked by every deadline: the loaded years are read as they are stored, and merged once per content."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT CAST(document AS TEXT) FROM law_holidayschedule ORDER BY year")
        return _merged(tuple(str(document) for (document,) in cursor.fetchall()))


@lru_cache(maxsize=8)
def _merged(documents: tuple[str, ...]) -> WorkCalendar:
    cal = _package_calendar()
    for document in documents:
        cal = cal.merged(parse_year_schedule(json.loads(document)).to_calendar())
    return cal


def load(document: Any, *, actor: Any = None, loaded_by: str = "") -> HolidaySchedule:
    """Validate and store one year's schedule; a bad document changes nothing."""
    try:
        schedule = parse_year_schedule(document)
    except ScheduleFormatError as e:
        raise JiafaError(ErrorCode.SCHEDULE_INVALID, e.message) from e
    with transaction.atomic():
        row, created = HolidaySchedule.objects.update_or_create(
            year=schedule.year,
            defaults={"source": schedule.source[:300], "document": document, "loaded_by": loaded_by},
        )
        audit.record(
            "calendar.load",
            actor=actor,
            obj=row,
            detail={"year": schedule.year, "source": schedule.source, "replaced": not created},
        )
    return row
