"""The work calendar (工作日历): published schedules, deadlines, loading a year. Pure: no database."""

import copy
import json
from calendar import monthrange
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import jiafa.law
from jiafa.law.calendar import (
    NoScheduleError,
    ScheduleErrorCode,
    ScheduleFormatError,
    WorkCalendar,
    from_chinese_calendar,
    parse_year_schedule,
)

CALENDAR = from_chinese_calendar()
SCHEDULE_2026 = Path(jiafa.law.__file__).parent / "data" / "holidays" / "2026.json"
PROPERTY = settings(max_examples=200, deadline=None)

# Hypothetical: the real 2027 notice is not out. 2027-01-01 is a Friday, 2027-02-06 a Saturday.
SCHEDULE_2027: dict[str, Any] = {
    "year": 2027,
    "source": "测试用的 2027 年安排（假想）",
    "published": "2026-11-05",
    "holidays": [
        {"name": "元旦", "days": ["2027-01-01", "2027-01-02", "2027-01-03"]},
        {"name": "春节", "days": ["2027-02-06", "2027-02-07", "2027-02-08"]},
    ],
    "workdays": ["2027-01-09"],
}


def load_2026() -> dict[str, Any]:
    with SCHEDULE_2026.open(encoding="utf-8") as f:
        return json.load(f)


# --- The published schedules, as the package knows them ---


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # 2024 Spring Festival: 2-10..17 off, Sundays 2-4 and 2-18 worked.
        (date(2024, 2, 4), True),
        (date(2024, 2, 18), True),
        (date(2024, 2, 12), False),
        # 2025 Spring Festival: 1-28..2-4 off, Sunday 1-26 and Saturday 2-8 worked.
        (date(2025, 1, 26), True),
        (date(2025, 2, 8), True),
        (date(2025, 2, 4), False),
        # 2025 National Day + Mid-autumn: 10-1..8 off, Saturday 10-11 worked.
        (date(2025, 10, 8), False),
        (date(2025, 10, 9), True),
        (date(2025, 10, 11), True),
        # 2026 (notice of 2025-11-04): Spring Festival 2-15..23, Saturdays 2-14 and 2-28 worked.
        (date(2026, 2, 14), True),
        (date(2026, 2, 23), False),
        (date(2026, 2, 28), True),
        # 2026 Mid-autumn 9-25..27 and National Day 10-1..7; Sunday 9-20 and Saturday 10-10 worked.
        (date(2026, 9, 20), True),
        (date(2026, 9, 25), False),
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),
        (date(2026, 10, 11), False),
        # Ordinary weeks.
        (date(2026, 3, 9), True),
        (date(2026, 3, 14), False),
    ],
)
def test_published_schedule(day: date, working: bool) -> None:
    assert CALENDAR.is_working_day(day) is working


def test_package_covers_2004_to_2026() -> None:
    assert set(range(2004, 2027)) <= CALENDAR.years


# --- Worked deadlines ---


def test_five_working_days_across_national_day_2024() -> None:
    # Fri 9-27: Sat 9-28 off, Sun 9-29 and Mon 9-30 worked (1, 2), 10-1..7 off, 10-8, 9, 10 (3, 4, 5).
    assert CALENDAR.add_working_days(date(2024, 9, 27), 5) == date(2024, 10, 10)


def test_seven_working_days_across_spring_festival_2025() -> None:
    # Fri 1-24: Sun 1-26 (1), Mon 1-27 (2), 1-28..2-4 off, 2-5, 6, 7 (3-5), Sat 2-8 (6), Mon 2-10 (7).
    assert CALENDAR.add_working_days(date(2025, 1, 24), 7) == date(2025, 2, 10)


def test_working_day_count_matches_the_deadline() -> None:
    assert CALENDAR.working_days_between(date(2025, 1, 24), date(2025, 2, 10)) == 7
    assert CALENDAR.working_days_between(date(2025, 1, 24), date(2025, 2, 9)) == 6
    assert CALENDAR.working_days_between(date(2025, 2, 10), date(2025, 2, 10)) == 0
    assert CALENDAR.working_days_between(date(2025, 2, 10), date(2025, 1, 24)) == 0


def test_start_day_is_not_counted_even_if_working() -> None:
    assert CALENDAR.add_working_days(date(2026, 3, 9), 1) == date(2026, 3, 10)
    assert CALENDAR.add_days(date(2026, 3, 9), 1) == date(2026, 3, 10)


def test_days_period_ending_on_sunday_moves_to_monday() -> None:
    # 15 days from Sat 2024-03-02 is Sun 03-17.
    assert CALENDAR.add_days(date(2024, 3, 2), 15) == date(2024, 3, 18)


def test_days_period_ending_in_national_day_moves_past_it() -> None:
    # 15 days from 2025-09-17 is 10-02, inside the 10-1..8 holiday.
    assert CALENDAR.add_days(date(2025, 9, 17), 15) == date(2025, 10, 9)


def test_days_period_ending_on_make_up_saturday_stays() -> None:
    # 15 days from 2025-09-26 is Sat 10-11, a make-up working day: not a rest day, so no move.
    assert CALENDAR.add_days(date(2025, 9, 26), 15) == date(2025, 10, 11)


def test_decision_deadline_of_90_days() -> None:
    # 行政处罚法 Art. 60: filed 2024-07-03, 90 days later is 10-01 (National Day) -> 10-08.
    assert CALENDAR.add_days(date(2024, 7, 3), 90) == date(2024, 10, 8)


@pytest.mark.parametrize(
    ("start", "months", "deadline"),
    [
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year, last day of the month
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 3, 15), 3, date(2024, 6, 17)),  # 06-15 is a Saturday
        (date(2024, 9, 1), 1, date(2024, 10, 8)),  # 10-01 is National Day
        (date(2025, 11, 30), 3, date(2026, 2, 28)),  # into 2026: 02-28 is a make-up Saturday, no move
    ],
)
def test_months_period(start: date, months: int, deadline: date) -> None:
    assert CALENDAR.add_months(start, months) == deadline


@pytest.mark.parametrize(
    "compute",
    [
        lambda: CALENDAR.add_working_days(date(2026, 3, 9), 0),
        lambda: CALENDAR.add_days(date(2026, 3, 9), 0),
        lambda: CALENDAR.add_months(date(2026, 3, 9), -1),
    ],
)
def test_period_must_be_positive(compute: Callable[[], date]) -> None:
    with pytest.raises(ValueError):
        compute()


# --- A year without a schedule, and loading one ---


def test_year_without_schedule_is_refused_with_its_year() -> None:
    with pytest.raises(NoScheduleError) as error:
        CALENDAR.is_working_day(date(2027, 1, 4))
    assert error.value.year == 2027
    assert str(error.value) == "没有 2027 年的节假日安排，无法计算工作日；请先导入国务院公布的该年安排"


@pytest.mark.parametrize(
    "compute",
    [
        lambda: CALENDAR.add_working_days(date(2026, 12, 28), 5),
        lambda: CALENDAR.add_days(date(2026, 12, 20), 14),
        lambda: CALENDAR.add_months(date(2026, 12, 1), 1),
        lambda: CALENDAR.working_days_between(date(2026, 12, 30), date(2027, 1, 5)),
    ],
)
def test_deadline_reaching_into_2027_is_refused(compute: Callable[[], object]) -> None:
    with pytest.raises(NoScheduleError) as error:
        compute()
    assert error.value.year == 2027


def test_deadline_inside_covered_year_needs_no_later_schedule() -> None:
    # 30 days from 2026-12-01 is Thu 12-31, a working day: 2027 is never consulted.
    assert CALENDAR.add_days(date(2026, 12, 1), 30) == date(2026, 12, 31)


def test_loaded_2027_schedule_answers_the_same_question() -> None:
    calendar = CALENDAR.merged(parse_year_schedule(SCHEDULE_2027).to_calendar())
    # Wed 12-30 -> Thu 12-31 (1), Fri 01-01..Sun 01-03 off, Mon 01-04 (2) ... Fri 01-08 (6), Sat 01-09 (7).
    assert calendar.add_working_days(date(2026, 12, 30), 2) == date(2027, 1, 4)
    assert calendar.add_working_days(date(2026, 12, 30), 7) == date(2027, 1, 9)
    assert calendar.years == CALENDAR.years | {2027}
    assert calendar.is_working_day(date(2024, 2, 4))  # earlier years untouched


def test_loaded_year_replaces_the_package_year_wholesale() -> None:
    # A 2026 file that adds a make-up Saturday (as a 2027 notice might) and drops everything but 元旦.
    override = load_2026()
    override["holidays"] = override["holidays"][:1]
    override["workdays"] = ["2026-12-26"]
    calendar = CALENDAR.merged(parse_year_schedule(override).to_calendar())
    assert calendar.is_working_day(date(2026, 12, 26))
    assert calendar.is_working_day(date(2026, 10, 8))
    assert calendar.is_working_day(date(2026, 10, 5))  # National Day is not in the override any more
    assert not calendar.is_working_day(date(2026, 1, 2))
    assert not CALENDAR.is_working_day(date(2026, 10, 5))  # the original is unchanged


@pytest.mark.parametrize(
    ("holidays", "workdays", "years"),
    [
        ({date(2026, 2, 14)}, {date(2026, 2, 14)}, {2026}),
        ({date(2027, 1, 1)}, set(), {2026}),
    ],
)
def test_inconsistent_calendar_is_refused(holidays: set[date], workdays: set[date], years: set[int]) -> None:
    with pytest.raises(ValueError):
        WorkCalendar(frozenset(holidays), frozenset(workdays), frozenset(years))


# --- The schedule file format ---


def test_2026_file_is_the_2026_notice() -> None:
    schedule = parse_year_schedule(load_2026())
    assert schedule.year == 2026
    assert schedule.source == "国务院办公厅关于2026年部分节假日安排的通知"
    assert schedule.published == date(2025, 11, 4)
    assert schedule.holidays[date(2026, 2, 15)] == "春节"
    assert schedule.holidays[date(2026, 10, 7)] == "国庆节"
    assert len(schedule.holidays) == 33
    assert schedule.workdays == {
        date(2026, 1, 4),
        date(2026, 2, 14),
        date(2026, 2, 28),
        date(2026, 5, 9),
        date(2026, 9, 20),
        date(2026, 10, 10),
    }


def test_2026_file_agrees_with_the_package_every_day() -> None:
    from_file = parse_year_schedule(load_2026()).to_calendar()
    days = [date(2026, 1, 1) + timedelta(days=k) for k in range(365)]
    assert [from_file.is_working_day(d) for d in days] == [CALENDAR.is_working_day(d) for d in days]


def _set(path: tuple[str | int, ...], value: object) -> Callable[[dict[str, Any]], None]:
    def apply(document: dict[str, Any]) -> None:
        target: Any = document
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return apply


def _delete(path: tuple[str | int, ...]) -> Callable[[dict[str, Any]], None]:
    def apply(document: dict[str, Any]) -> None:
        target: Any = document
        for key in path[:-1]:
            target = target[key]
        del target[path[-1]]

    return apply


@pytest.mark.parametrize(
    ("change", "code", "mentions"),
    [
        (_delete(("source",)), ScheduleErrorCode.MISSING_KEY, "source"),
        (_delete(("holidays", 0, "days")), ScheduleErrorCode.MISSING_KEY, "days"),
        (_set(("remark",), "x"), ScheduleErrorCode.UNKNOWN_KEY, "remark"),
        (_set(("year",), "2027"), ScheduleErrorCode.BAD_TYPE, "year"),
        (_set(("year",), True), ScheduleErrorCode.BAD_TYPE, "year"),
        (_set(("year",), 1999), ScheduleErrorCode.BAD_YEAR, "1999"),
        (_set(("year",), 2101), ScheduleErrorCode.BAD_YEAR, "2101"),
        (_set(("source",), "  "), ScheduleErrorCode.BLANK_TEXT, "source"),
        (_set(("holidays", 0, "name"), ""), ScheduleErrorCode.BLANK_TEXT, "名称"),
        (_set(("holidays", 0, "name"), 5), ScheduleErrorCode.BAD_TYPE, "名称"),
        (_set(("published",), "2026-11-xx"), ScheduleErrorCode.BAD_DATE, "2026-11-xx"),
        (_set(("holidays", 0, "days", 0), "2027-02-30"), ScheduleErrorCode.BAD_DATE, "2027-02-30"),
        (_set(("holidays", 0, "days", 0), "2027/01/01"), ScheduleErrorCode.BAD_DATE, "2027/01/01"),
        (_set(("holidays", 0, "days", 0), "20270101"), ScheduleErrorCode.BAD_DATE, "20270101"),
        (_set(("holidays", 0, "days", 0), 20270101), ScheduleErrorCode.BAD_TYPE, "元旦"),
        (_set(("holidays",), {}), ScheduleErrorCode.BAD_TYPE, "holidays"),
        (_set(("holidays",), []), ScheduleErrorCode.NO_HOLIDAYS, "holidays"),
        (_set(("holidays", 0), "元旦"), ScheduleErrorCode.BAD_TYPE, "第 1 个节假日"),
        (_set(("holidays", 1, "days"), []), ScheduleErrorCode.EMPTY_HOLIDAY, "春节"),
        (_set(("holidays", 0, "days", 0), "2026-12-31"), ScheduleErrorCode.DATE_OUTSIDE_YEAR, "2026-12-31"),
        (_set(("workdays",), ["2028-01-08"]), ScheduleErrorCode.DATE_OUTSIDE_YEAR, "2028-01-08"),
        (_set(("holidays", 1, "days", 0), "2027-01-03"), ScheduleErrorCode.DUPLICATE_DATE, "2027-01-03"),
        (_set(("workdays",), ["2027-01-09", "2027-01-09"]), ScheduleErrorCode.DUPLICATE_DATE, "2027-01-09"),
        (_set(("workdays",), "2027-01-09"), ScheduleErrorCode.BAD_TYPE, "workdays"),
        (_set(("workdays",), ["2027-01-04"]), ScheduleErrorCode.WORKDAY_NOT_WEEKEND, "星期一"),
        (_set(("workdays",), ["2027-02-06"]), ScheduleErrorCode.HOLIDAY_AND_WORKDAY, "2027-02-06"),
    ],
)
def test_bad_schedule_is_rejected_with_its_code(
    change: Callable[[dict[str, Any]], None], code: ScheduleErrorCode, mentions: str
) -> None:
    document = copy.deepcopy(SCHEDULE_2027)
    change(document)
    with pytest.raises(ScheduleFormatError) as error:
        parse_year_schedule(document)
    assert error.value.code == code
    assert mentions in str(error.value)


@pytest.mark.parametrize("document", [None, [], "2027", 2027])
def test_schedule_that_is_not_an_object_is_rejected(document: object) -> None:
    with pytest.raises(ScheduleFormatError) as error:
        parse_year_schedule(document)
    assert error.value.code == ScheduleErrorCode.BAD_TYPE


def test_year_without_make_up_days_is_accepted() -> None:
    document = copy.deepcopy(SCHEDULE_2027)
    document["workdays"] = []
    assert parse_year_schedule(document).workdays == frozenset()


# --- Properties ---

covered_days = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 9, 1))
periods = st.integers(min_value=1, max_value=40)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@PROPERTY
@given(start=covered_days, n=periods)
def test_add_working_days_lands_on_the_nth_working_day(start: date, n: int) -> None:
    deadline = CALENDAR.add_working_days(start, n)
    assert deadline > start
    assert CALENDAR.is_working_day(deadline)
    assert CALENDAR.working_days_between(start, deadline) == n


@PROPERTY
@given(start=covered_days, n=periods)
def test_add_working_days_grows_with_n(start: date, n: int) -> None:
    assert CALENDAR.add_working_days(start, n + 1) > CALENDAR.add_working_days(start, n)


@PROPERTY
@given(first=covered_days, later_by=st.integers(min_value=0, max_value=30), n=periods)
def test_add_working_days_grows_with_start(first: date, later_by: int, n: int) -> None:
    second = first + timedelta(days=later_by)
    assert CALENDAR.add_working_days(second, n) >= CALENDAR.add_working_days(first, n)


@PROPERTY
@given(start=covered_days, n=st.integers(min_value=1, max_value=90))
def test_add_days_is_the_first_working_day_from_the_last_day(start: date, n: int) -> None:
    last_day = start + timedelta(days=n)
    deadline = CALENDAR.add_days(start, n)
    assert deadline >= last_day
    assert CALENDAR.is_working_day(deadline)
    assert CALENDAR.working_days_between(last_day - timedelta(days=1), deadline) == 1


@PROPERTY
@given(start=covered_days, months=st.integers(min_value=1, max_value=3))
def test_add_months_is_the_first_working_day_from_the_same_numbered_day(start: date, months: int) -> None:
    year, month = divmod(start.year * 12 + start.month - 1 + months, 12)
    last_day = date(year, month + 1, min(start.day, monthrange(year, month + 1)[1]))
    deadline = CALENDAR.add_months(start, months)
    assert deadline >= last_day
    assert CALENDAR.is_working_day(deadline)
    assert CALENDAR.working_days_between(last_day - timedelta(days=1), deadline) == 1


@PROPERTY
@given(day=st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31)))
def test_agrees_with_chinese_calendar(day: date) -> None:
    assert CALENDAR.is_working_day(day) is chinese_calendar.is_workday(day)


@PROPERTY
@given(document=json_values)
def test_random_document_is_accepted_or_rejected_with_a_code(document: object) -> None:
    try:
        parse_year_schedule(document)
    except ScheduleFormatError as error:
        assert error.code in set(ScheduleErrorCode)
        assert error.message


@PROPERTY
@given(
    key=st.sampled_from(["year", "source", "published", "holidays", "workdays"]),
    value=json_values,
)
def test_random_field_value_is_accepted_or_rejected_with_a_code(key: str, value: object) -> None:
    document = copy.deepcopy(SCHEDULE_2027)
    document[key] = value
    try:
        parse_year_schedule(document)
    except ScheduleFormatError as error:
        assert error.code in set(ScheduleErrorCode)
