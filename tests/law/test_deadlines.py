"""Statutory deadlines (法定期限) worked by hand across the 2024–2026 schedules, and `jiafa law deadline`.

Calendar facts used below (State Council notices): 2024 National Day 10-01..07 off, Sun 09-29 and Sat 10-12
worked; 2025 Spring Festival 01-28..02-04 off, Sun 01-26 and Sat 02-08 worked; 2025 National Day and
Mid-Autumn 10-01..08 off; 2026 Sat 02-28 worked.
"""

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law import ruledata
from jiafa.law.calendar import from_chinese_calendar
from jiafa.law.deadlines import DeadlineKind, deadline, parse_day, parse_kind
from tests.conftest import run_command

CALENDAR = from_chinese_calendar()
BOOK = ruledata.load(ruledata.PACKAGED)
PENALTY_LAW = "中华人民共和国行政处罚法"
COERCION_LAW = "中华人民共和国行政强制法"
PROPERTY = settings(max_examples=300, deadline=None)


def due(kind: DeadlineKind, start: date) -> date:
    return deadline(kind, start, CALENDAR, BOOK).due


# --- Hand-worked examples ---


def test_hearing_request_skips_national_day_and_counts_the_make_up_sunday():
    # Notice on Fri 2024-09-27 (not counted): Sun 09-29 (1, make-up), 09-30 (2), 10-01..07 off, 10-08 (3),
    # 10-09 (4), 10-10 (5).
    result = deadline(DeadlineKind.HEARING_REQUEST, date(2024, 9, 27), CALENDAR, BOOK)
    assert result.due == date(2024, 10, 10)
    assert result.working_days is True
    assert result.basis == [
        {"law": PENALTY_LAW, "article": "第六十四条第一项"},
        {"law": PENALTY_LAW, "article": "第八十五条"},
    ]
    assert "告知之日起5个工作日内（不含告知当日）" in result.explanation_zh


def test_hearing_notice_gives_the_earliest_hearing_day_which_may_be_a_make_up_saturday():
    # Notice served Fri 2024-09-27: the 7th working day after it is Sat 10-12, a make-up working day.
    result = deadline(DeadlineKind.HEARING_NOTICE, date(2024, 9, 27), CALENDAR, BOOK)
    assert result.due == date(2024, 10, 12)
    assert result.due_label_zh == "最早可举行听证之日"
    assert result.basis[0]["article"] == "第六十四条第二项"


def test_service_across_the_2025_spring_festival():
    # Announced Fri 2025-01-24: Sun 01-26 (1, make-up), 01-27 (2), 01-28..02-04 off, 02-05 (3), 02-06 (4),
    # 02-07 (5), Sat 02-08 (6, make-up), Mon 02-10 (7).
    assert due(DeadlineKind.SERVICE, date(2025, 1, 24)) == date(2025, 2, 10)


@pytest.mark.parametrize(
    ("received", "last_day"),
    [
        (date(2024, 3, 1), date(2024, 3, 18)),  # +15 = Sat 03-16, rolled to Mon 03-18
        (date(2025, 9, 20), date(2025, 10, 9)),  # +15 = 10-05 inside the 10-01..08 holiday, rolled to 10-09
        (date(2024, 9, 27), date(2024, 10, 12)),  # +15 = Sat 10-12, a make-up working day: not rolled
        (date(2024, 5, 6), date(2024, 5, 21)),  # +15 = Tue 05-21, an ordinary working day
    ],
)
def test_payment_is_15_calendar_days_rolled_off_rest_days(received, last_day):
    result = deadline(DeadlineKind.PAYMENT, received, CALENDAR, BOOK)
    assert result.due == last_day
    assert result.working_days is False
    assert result.basis == [{"law": PENALTY_LAW, "article": "第六十七条第三款"}]


@pytest.mark.parametrize(
    ("filed", "last_day"),
    [
        (date(2024, 1, 2), date(2024, 4, 1)),  # 29 + 29 (leap February) + 31 + 1 = 90 days, a Monday
        (date(2025, 7, 5), date(2025, 10, 9)),  # 90 days = 10-03, inside National Day, rolled to 10-09
    ],
)
def test_decision_within_90_days_of_filing(filed, last_day):
    result = deadline(DeadlineKind.DECISION, filed, CALENDAR, BOOK)
    assert result.due == last_day
    assert result.basis == [{"law": PENALTY_LAW, "article": "第六十条"}]


@pytest.mark.parametrize(
    ("expired", "last_day"),
    [
        (date(2024, 11, 30), date(2025, 2, 28)),  # no 30 February: the month's last day, a Friday
        (date(2023, 11, 30), date(2024, 2, 29)),  # leap year
        (date(2025, 11, 30), date(2026, 2, 28)),  # Sat 2026-02-28 is a make-up working day: stays
        (date(2024, 10, 31), date(2025, 2, 5)),  # 01-31 is in the Spring Festival: rolled to Wed 02-05
    ],
)
def test_court_application_three_months_clamped_to_month_end(expired, last_day):
    result = deadline(DeadlineKind.COURT_APPLICATION, expired, CALENDAR, BOOK)
    assert result.due == last_day
    assert result.basis == [{"law": COERCION_LAW, "article": "第五十三条"}]


def test_demand_notice_gives_the_first_working_day_after_ten_working_days():
    # Served Fri 2024-09-27: 10th working day is Wed 10-16 (make-up days 09-29 and 10-12 count);
    # the bureau may apply from Thu 10-17.
    result = deadline(DeadlineKind.DEMAND_NOTICE, date(2024, 9, 27), CALENDAR, BOOK)
    assert result.due == date(2024, 10, 17)
    assert [b["article"] for b in result.basis] == ["第五十四条", "第六十九条"]
    assert result.due_label_zh == "最早可申请强制执行之日"


@pytest.mark.parametrize(
    ("kind", "act", "expires"),
    [
        (DeadlineKind.LIMITATION, date(2024, 10, 1), date(2026, 10, 1)),  # a holiday, yet not rolled
        (DeadlineKind.LIMITATION, date(2024, 2, 29), date(2026, 2, 28)),
        (DeadlineKind.LIMITATION_SERIOUS, date(2024, 2, 29), date(2029, 2, 28)),
        (DeadlineKind.LIMITATION, date(2030, 5, 1), date(2032, 5, 1)),  # no schedule needed for a limitation
    ],
)
def test_limitation_is_the_same_day_years_later_never_rolled(kind, act, expires):
    result = deadline(kind, act, CALENDAR, BOOK)
    assert result.due == expires
    assert result.basis == [{"law": PENALTY_LAW, "article": "第三十六条"}]
    assert "不因节假日顺延" in result.explanation_zh


def test_an_act_before_the_2021_revision_takes_the_old_articles_limitation():
    result = deadline(DeadlineKind.LIMITATION, date(2020, 6, 1), CALENDAR, BOOK)
    assert result.due == date(2022, 6, 1)
    assert result.basis == [{"law": "中华人民共和国行政处罚法（2017年修正）", "article": "第二十九条"}]
    with pytest.raises(JiafaError) as refused:  # the five-year limitation did not exist before the revision
        deadline(DeadlineKind.LIMITATION_SERIOUS, date(2020, 6, 1), CALENDAR, BOOK)
    assert refused.value.code is ErrorCode.NO_RULE_IN_FORCE
    assert "2021-07-15" in refused.value.message


def test_a_working_day_deadline_into_a_year_without_schedule_is_refused():
    # Mon 2026-12-28 + 5 working days reaches into 2027, whose schedule is not published.
    with pytest.raises(JiafaError) as refused:
        deadline(DeadlineKind.HEARING_REQUEST, date(2026, 12, 28), CALENDAR, BOOK)
    assert refused.value.code is ErrorCode.NO_SCHEDULE
    assert "2027" in refused.value.message


def test_every_kind_has_a_rule_with_its_article_and_a_chinese_label():
    for kind in DeadlineKind:
        result = deadline(kind, date(2024, 6, 3), CALENDAR, BOOK)
        assert result.label_zh and result.start_label_zh and result.due_label_zh
        assert all(b["article"].startswith("第") and b["law"] for b in result.basis)
        assert result.period_zh in result.explanation_zh


# --- Properties ---

STARTS = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 8, 31))
COUNTED_IN_WORKING_DAYS = {
    DeadlineKind.HEARING_REQUEST: 5,
    DeadlineKind.HEARING_NOTICE: 7,
    DeadlineKind.SERVICE: 7,
}
ROLLED = [k for k in DeadlineKind if k not in (DeadlineKind.LIMITATION, DeadlineKind.LIMITATION_SERIOUS)]


@PROPERTY
@given(start=STARTS, kind=st.sampled_from(sorted(COUNTED_IN_WORKING_DAYS)))
def test_working_day_kinds_end_on_the_nth_working_day(start, kind):
    n = COUNTED_IN_WORKING_DAYS[kind]
    result = due(kind, start)
    assert CALENDAR.is_working_day(result)
    assert CALENDAR.working_days_between(start, result) == n
    assert result >= start + timedelta(days=n)


@PROPERTY
@given(start=STARTS, kind=st.sampled_from(ROLLED))
def test_procedural_deadlines_land_on_working_days(start, kind):
    assert CALENDAR.is_working_day(due(kind, start))


@PROPERTY
@given(start=STARTS)
def test_calendar_day_periods_end_on_the_first_working_day_from_start_plus_n(start):
    for kind, n in ((DeadlineKind.PAYMENT, 15), (DeadlineKind.DECISION, 90)):
        result = due(kind, start)
        nominal = start + timedelta(days=n)
        assert result >= nominal
        assert not any(
            CALENDAR.is_working_day(nominal + timedelta(days=k)) for k in range((result - nominal).days)
        )


@PROPERTY
@given(start=STARTS)
def test_demand_notice_is_the_day_after_ten_working_days_have_passed(start):
    result = due(DeadlineKind.DEMAND_NOTICE, start)
    assert CALENDAR.working_days_between(start, result) == 11
    assert CALENDAR.is_working_day(result)


@PROPERTY
@given(start=st.dates(min_value=date(2021, 7, 15), max_value=date(2090, 12, 31)))
def test_limitation_keeps_month_and_day_except_29_february(start):
    result = due(DeadlineKind.LIMITATION, start)
    assert result.year == start.year + 2 and result.month == start.month
    assert result.day == start.day or (start.month, start.day, result.day) == (2, 29, 28)


# --- Typed input ---


def test_parsing_what_a_user_typed():
    assert parse_kind(" payment ") is DeadlineKind.PAYMENT
    assert parse_day("2024-09-27", "起算日") == date(2024, 9, 27)
    for text in ("2024-02-30", "20240927", "2024-W39-5", "下周一"):
        with pytest.raises(JiafaError, match="不是有效日期"):
            parse_day(text, "起算日")
    with pytest.raises(JiafaError, match="请填写起算日"):
        parse_day("  ", "起算日")
    with pytest.raises(JiafaError, match="未知的期限类型") as refused:
        parse_kind("appeal")
    assert "hearing_request：申请听证期限" in refused.value.message


# --- jiafa law deadline ---


def run(*args: str) -> tuple[int, str, str]:
    return run_command("law", *args)


@pytest.mark.django_db
def test_cli_deadline_json_has_the_contract_fields():
    code, out, _ = run("deadline", "hearing_request", "2024-09-27", "--json")
    assert code == 0
    data = json.loads(out)
    assert {k: data[k] for k in ("kind", "start", "due", "working_days")} == {
        "kind": "hearing_request",
        "start": "2024-09-27",
        "due": "2024-10-10",
        "working_days": True,
    }
    assert data["basis"][0] == {"law": PENALTY_LAW, "article": "第六十四条第一项"}


@pytest.mark.django_db
def test_cli_deadline_text_names_the_day_and_the_article():
    code, out, _ = run("deadline", "payment", "2025-09-20")
    assert code == 0
    assert "2025-10-09" in out and "缴纳罚款的最后一日" in out and "第六十七条第三款" in out


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "code_name", "words"),
    [
        (("deadline", "appeal", "2024-09-27"), "invalid_input", "未知的期限类型"),
        (("deadline", "payment", "2024-02-30"), "invalid_input", "不是有效日期"),
        (("deadline", "service", "2031-03-03"), "no_schedule_for_year", "2031"),
        (("deadline", "decision", "2019-03-01"), "no_rule_in_force", "尚未生效"),
    ],
)
def test_cli_deadline_refusals_exit_2_with_chinese_on_stderr(args, code_name, words):
    code, out, err = run(*args)
    assert (code, out) == (2, "")
    assert code_name in err and words in err
    code, _, err = run(*args, "--json")
    assert code == 2 and json.loads(err)["code"] == code_name
