"""Work calendar (工作日历) and deadline arithmetic over it (law.md §1).

Pure code: no database, no clock, no Django. The schedule comes from the `chinesecalendar` package for the
years it knows and from State Council notices a bureau loads as JSON (see data/holidays/README.md); a day in a
year without a schedule is never guessed at, it raises NoScheduleError.
"""

import re
from calendar import monthrange
from collections.abc import Container
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from chinese_calendar import constants as chinese_calendar_data

from jiafa.law.ruledata import DataFormatError

ONE_DAY = timedelta(days=1)
SATURDAY = 5
MIN_SCHEDULE_YEAR = 2000
MAX_SCHEDULE_YEAR = 2100


class NoScheduleError(Exception):
    """A working-day question about a year whose holiday schedule has not been loaded."""

    def __init__(self, year: int) -> None:
        # The year is the only argument so that the exception pickles and compares by its year.
        super().__init__(year)
        self.year = year

    def __str__(self) -> str:
        return f"没有 {self.year} 年的节假日安排，无法计算工作日；请先导入国务院公布的该年安排"


@dataclass(frozen=True)
class WorkCalendar:
    """Which days are working days (工作日) in the years it has a schedule for.

    A day is a working day if it is a make-up working weekend (调休上班), or a Monday–Friday that is not a
    statutory holiday. Invariants: every listed day lies in a covered year, and no day is both a holiday and
    a make-up workday — otherwise `merged` could not replace a year wholesale.
    """

    holidays: frozenset[date]  # statutory rest days, including weekend days absorbed into a holiday
    workdays: frozenset[date]  # make-up working weekends (调休)
    years: frozenset[int]

    def __post_init__(self) -> None:
        both = self.holidays & self.workdays
        if both:
            raise ValueError(f"days both holiday and workday: {sorted(both)}")
        uncovered = {day for day in self.holidays | self.workdays if day.year not in self.years}
        if uncovered:
            raise ValueError(f"days outside the covered years: {sorted(uncovered)}")

    def is_working_day(self, day: date) -> bool:
        if day.year not in self.years:
            raise NoScheduleError(day.year)
        if day in self.workdays:
            return True
        return day.weekday() < SATURDAY and day not in self.holidays

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after `start`; the start day itself is never counted (law.md §1)."""
        _require_positive(n)
        day = start
        remaining = n
        while remaining:
            day += ONE_DAY
            if self.is_working_day(day):
                remaining -= 1
        return day

    def add_days(self, start: date, n: int) -> date:
        """End of an n-calendar-day period; a last day that is a rest day moves to the next working day."""
        _require_positive(n)
        return self._first_working_day_from(start + timedelta(days=n))

    def add_months(self, start: date, n: int) -> date:
        """End of an n-month period: the same-numbered day (or the month's last day), moved like add_days."""
        _require_positive(n)
        return self._first_working_day_from(same_day_months_later(start, n))

    def working_days_between(self, a: date, b: date) -> int:
        """Working days in (a, b]: like a period, `a` itself is not counted. 0 when b is not after a."""
        return sum(self.is_working_day(a + timedelta(days=k)) for k in range(1, (b - a).days + 1))

    def merged(self, other: "WorkCalendar") -> "WorkCalendar":
        """This calendar with each year `other` covers replaced wholesale by `other`'s schedule for it."""

        def kept(days: frozenset[date]) -> frozenset[date]:
            return frozenset(day for day in days if day.year not in other.years)

        return WorkCalendar(
            holidays=kept(self.holidays) | other.holidays,
            workdays=kept(self.workdays) | other.workdays,
            years=self.years | other.years,
        )

    def _first_working_day_from(self, day: date) -> date:
        while not self.is_working_day(day):
            day += ONE_DAY
        return day


def _require_positive(n: int) -> None:
    if n < 1:
        raise ValueError(f"a period must be at least 1, got {n}")


def same_day_months_later(start: date, months: int) -> date:
    year, month_index = divmod(start.year * 12 + start.month - 1 + months, 12)
    month = month_index + 1
    return date(year, month, min(start.day, monthrange(year, month)[1]))


def from_chinese_calendar() -> WorkCalendar:
    """The schedules the installed `chinesecalendar` package knows (2004 up to its release)."""
    holidays = frozenset(chinese_calendar_data.holidays)
    workdays = frozenset(chinese_calendar_data.workdays)
    return WorkCalendar(holidays, workdays, frozenset(day.year for day in holidays | workdays))


# --- Year schedules loaded from JSON (format: data/holidays/README.md) ---


class ScheduleErrorCode(StrEnum):
    BAD_TYPE = "schedule_bad_type"
    MISSING_KEY = "schedule_missing_key"
    UNKNOWN_KEY = "schedule_unknown_key"
    BAD_YEAR = "schedule_bad_year"
    BLANK_TEXT = "schedule_blank_text"
    BAD_DATE = "schedule_bad_date"
    DATE_OUTSIDE_YEAR = "schedule_date_outside_year"
    DUPLICATE_DATE = "schedule_duplicate_date"
    NO_HOLIDAYS = "schedule_no_holidays"
    EMPTY_HOLIDAY = "schedule_empty_holiday"
    WORKDAY_NOT_WEEKEND = "schedule_workday_not_weekend"
    HOLIDAY_AND_WORKDAY = "schedule_holiday_and_workday"


class ScheduleFormatError(DataFormatError):
    """A schedule document that does not follow the format; `message` tells the bureau what to fix."""


@dataclass(frozen=True)
class YearSchedule:
    """One year's State Council holiday notice (国务院办公厅关于某年部分节假日安排的通知)."""

    year: int
    source: str  # title of the notice
    published: date
    holidays: dict[date, str]  # each rest day with the holiday it belongs to
    workdays: frozenset[date]  # make-up working weekends

    def to_calendar(self) -> WorkCalendar:
        return WorkCalendar(frozenset(self.holidays), self.workdays, frozenset({self.year}))


_SCHEDULE_KEYS = frozenset({"year", "source", "published", "holidays", "workdays"})
_HOLIDAY_KEYS = frozenset({"name", "days"})
# ASCII digits only: date.fromisoformat alone would also take "20270101" and week dates like "2027-W01-1".
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_WEEKDAY_NAMES = "一二三四五六日"


def parse_year_schedule(data: object) -> YearSchedule:
    """Validate a decoded JSON schedule document; raise ScheduleFormatError on the first problem found."""
    document = _object(data, _SCHEDULE_KEYS, "安排文件")
    year = _year(document["year"])
    source = _text(document["source"], "source（通知名称）")
    published = parse_iso_date(document["published"], "published（发布日期）")
    holidays = _holidays(document["holidays"], year)
    workdays = _workdays(document["workdays"], year)
    both = sorted(set(holidays) & workdays)
    if both:
        raise ScheduleFormatError(
            ScheduleErrorCode.HOLIDAY_AND_WORKDAY, f"{both[0].isoformat()} 同时列为放假日和调休上班日"
        )
    return YearSchedule(year, source, published, holidays, workdays)


def _object(value: object, keys: frozenset[str], where: str) -> dict[str, object]:
    if not isinstance(value, dict):
        raise ScheduleFormatError(ScheduleErrorCode.BAD_TYPE, f"{where}应为 JSON 对象")
    missing = sorted(keys - value.keys())
    if missing:
        raise ScheduleFormatError(ScheduleErrorCode.MISSING_KEY, f"{where}缺少字段 “{missing[0]}”")
    unknown = sorted(str(key) for key in value.keys() - keys)
    if unknown:
        raise ScheduleFormatError(
            ScheduleErrorCode.UNKNOWN_KEY,
            f"{where}含有无法识别的字段 “{unknown[0]}”；允许的字段：{'、'.join(sorted(keys))}",
        )
    return value


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise ScheduleFormatError(ScheduleErrorCode.BAD_TYPE, f"{where}应为列表")
    return value


def _year(value: object) -> int:
    # bool is an int subclass, and `true` is never a year.
    if not isinstance(value, int) or isinstance(value, bool):
        raise ScheduleFormatError(ScheduleErrorCode.BAD_TYPE, "year（年份）应为整数，例如 2027")
    if not MIN_SCHEDULE_YEAR <= value <= MAX_SCHEDULE_YEAR:
        raise ScheduleFormatError(
            ScheduleErrorCode.BAD_YEAR,
            f"年份 {value} 超出范围（{MIN_SCHEDULE_YEAR}–{MAX_SCHEDULE_YEAR}）",
        )
    return value


def _text(value: object, where: str) -> str:
    if not isinstance(value, str):
        raise ScheduleFormatError(ScheduleErrorCode.BAD_TYPE, f"{where}应为文字")
    if not value.strip():
        raise ScheduleFormatError(ScheduleErrorCode.BLANK_TEXT, f"{where}不能为空")
    return value.strip()


def parse_iso_date(value: object, where: str) -> date:
    if not isinstance(value, str):
        raise ScheduleFormatError(ScheduleErrorCode.BAD_TYPE, f"{where}应为 “YYYY-MM-DD” 格式的文字")
    if _ISO_DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:  # well-formed but no such day, e.g. 2027-02-30
            pass
    raise ScheduleFormatError(
        ScheduleErrorCode.BAD_DATE, f"{where} “{value}” 不是有效日期，应写成 YYYY-MM-DD，例如 2027-01-01"
    )


def _day_in_year(value: object, year: int, where: str) -> date:
    day = parse_iso_date(value, where)
    if day.year != year:
        raise ScheduleFormatError(
            ScheduleErrorCode.DATE_OUTSIDE_YEAR,
            f"{where} {day.isoformat()} 不在 {year} 年内；跨年的日期请写入 {day.year} 年的安排文件",
        )
    return day


def _holidays(value: object, year: int) -> dict[date, str]:
    entries = _list(value, "holidays（放假安排）")
    if not entries:
        raise ScheduleFormatError(ScheduleErrorCode.NO_HOLIDAYS, "holidays（放假安排）至少要有一个节假日")
    names: dict[date, str] = {}
    for number, entry in enumerate(entries, start=1):
        holiday = _object(entry, _HOLIDAY_KEYS, f"第 {number} 个节假日")
        name = _text(holiday["name"], f"第 {number} 个节假日的名称")
        days = _list(holiday["days"], f"{name}的放假日期")
        if not days:
            raise ScheduleFormatError(ScheduleErrorCode.EMPTY_HOLIDAY, f"{name}没有列出放假日期")
        for item in days:
            day = _day_in_year(item, year, f"{name}的放假日期")
            _reject_duplicate(day, names.keys())
            names[day] = name
    return names


def _workdays(value: object, year: int) -> frozenset[date]:
    days: set[date] = set()
    for item in _list(value, "workdays（调休上班日）"):
        day = _day_in_year(item, year, "调休上班日")
        if day.weekday() < SATURDAY:
            raise ScheduleFormatError(
                ScheduleErrorCode.WORKDAY_NOT_WEEKEND,
                f"调休上班日 {day.isoformat()} 是星期{_WEEKDAY_NAMES[day.weekday()]}，本来就上班；"
                "调休上班日只能是星期六或星期日",
            )
        _reject_duplicate(day, days)
        days.add(day)
    return frozenset(days)


def _reject_duplicate(day: date, seen: Container[date]) -> None:
    if day in seen:
        raise ScheduleFormatError(ScheduleErrorCode.DUPLICATE_DATE, f"日期 {day.isoformat()} 重复列出")
