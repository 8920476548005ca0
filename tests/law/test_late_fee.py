"""加处罚款 (行政处罚法 Arts. 72, 73): 3% of the fine a day after the due date, never more than the fine, not
counted while a review or lawsuit is pending; and `jiafa law late-fee`."""

import json
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law import ruledata
from jiafa.law.deadlines import late_fee, parse_fine, parse_paused
from tests.conftest import run_command

BOOK = ruledata.load(ruledata.PACKAGED)
DUE = date(2024, 3, 1)  # the last day to pay
ART_72 = {"law": "中华人民共和国行政处罚法", "article": "第七十二条第一款第一项"}
ART_73 = {"law": "中华人民共和国行政处罚法", "article": "第七十三条第三款"}
PROPERTY = settings(max_examples=300, deadline=None)


def test_paying_on_the_due_date_or_before_costs_nothing():
    for paid in (DUE, DUE - timedelta(days=10)):
        fee = late_fee(2000, DUE, paid, BOOK)
        assert (fee.days, fee.late_fee_yuan, fee.capped) == (0, 0, False)


def test_one_day_late_is_three_percent_of_the_fine():
    fee = late_fee(2000, DUE, DUE + timedelta(days=1), BOOK)
    assert (fee.days, fee.late_fee_yuan) == (1, 60)
    assert fee.basis == [ART_72]


def test_the_fee_stops_growing_at_the_fine():
    # 33 days: 99% of 2000 = 1980; 34 days would be 102%, so the fee is the fine itself.
    before = late_fee(2000, DUE, DUE + timedelta(days=33), BOOK)
    assert (before.late_fee_yuan, before.capped) == (1980, False)
    at_cap = late_fee(2000, DUE, DUE + timedelta(days=34), BOOK)
    assert (at_cap.days, at_cap.late_fee_yuan, at_cap.capped) == (34, 2000, True)
    a_year = late_fee(2000, DUE, DUE + timedelta(days=365), BOOK)
    assert (a_year.late_fee_yuan, a_year.capped) == (2000, True)


def test_days_of_review_or_lawsuit_are_not_counted():
    # 30 days late, of which 03-10..03-19 (10 days, both included) a review was pending: 20 days × 30 yuan.
    fee = late_fee(1000, DUE, date(2024, 3, 31), BOOK, paused=[(date(2024, 3, 10), date(2024, 3, 19))])
    assert (fee.days, fee.paused_days, fee.late_fee_yuan) == (20, 10, 600)
    assert fee.basis == [ART_72, ART_73]
    assert "10 日不计" in fee.explanation_zh


def test_paused_intervals_count_each_day_once_and_only_after_the_due_date():
    paused = [
        (date(2024, 2, 20), date(2024, 3, 5)),  # began before the due date: only 03-02..03-05 count
        (date(2024, 3, 4), date(2024, 3, 8)),  # overlaps the first: adds 03-06..03-08
        (date(2024, 4, 1), date(2024, 4, 30)),  # after payment: nothing
    ]
    fee = late_fee(1000, DUE, date(2024, 3, 11), BOOK, paused=paused)
    assert (fee.paused_days, fee.days) == (7, 3)


def test_a_part_yuan_is_dropped_by_default_and_rounded_half_up_when_the_bureau_says_so(tmp_path):
    assert late_fee(150, DUE, DUE + timedelta(days=1), BOOK).late_fee_yuan == 4  # 4.50 yuan
    override = {
        "law": "中华人民共和国行政处罚法",
        "rules": [
            {
                "key": "late_fee.rounding",
                "value": "half_up",
                "article": "第七十二条第一款第一项",
                "effective_from": "2021-07-15",
            },
        ],
    }
    (tmp_path / "rounding.json").write_text(json.dumps(override, ensure_ascii=False), encoding="utf-8")
    bureau = ruledata.load(ruledata.PACKAGED, tmp_path)  # how a bureau's $JIAFA_DATA_DIR/rules/ is read
    assert late_fee(150, DUE, DUE + timedelta(days=1), bureau).late_fee_yuan == 5


def test_refusals():
    with pytest.raises(JiafaError, match="不能为负数") as refused:
        late_fee(-1, DUE, DUE, BOOK)
    assert refused.value.code is ErrorCode.INVALID_INPUT
    with pytest.raises(JiafaError, match="起止颠倒"):
        late_fee(100, DUE, DUE, BOOK, paused=[(date(2024, 3, 9), date(2024, 3, 2))])
    with pytest.raises(JiafaError) as refused:  # before the 2021 revision took effect
        late_fee(100, date(2020, 1, 1), date(2020, 2, 1), BOOK)
    assert refused.value.code is ErrorCode.NO_RULE_IN_FORCE


def test_parsing_typed_amounts_and_intervals():
    assert parse_fine(" 2000 ") == 2000
    assert parse_fine("-5") == -5  # late_fee refuses it with the clearer message
    for text in ("2,000", "2000.5", "二千", "", "9" * 40):
        with pytest.raises(JiafaError, match="应为整数"):
            parse_fine(text)
    assert parse_paused("2024-03-10/2024-03-19") == (date(2024, 3, 10), date(2024, 3, 19))
    with pytest.raises(JiafaError, match="起始日/结束日"):
        parse_paused("2024-03-10")


# --- Properties ---

FINES = st.integers(min_value=0, max_value=10_000_000)
DUES = st.dates(min_value=date(2021, 7, 15), max_value=date(2040, 12, 31))
DELAYS = st.integers(min_value=-30, max_value=800)
INTERVALS = st.lists(
    st.tuples(st.integers(min_value=-20, max_value=400), st.integers(min_value=0, max_value=120)), max_size=3
)


@PROPERTY
@given(fine=FINES, due=DUES, delay=DELAYS, intervals=INTERVALS)
def test_the_fee_never_exceeds_the_fine(fine, due, delay, intervals):
    paused = [(due + timedelta(days=a), due + timedelta(days=a + length)) for a, length in intervals]
    fee = late_fee(fine, due, due + timedelta(days=delay), BOOK, paused=paused)
    assert 0 <= fee.late_fee_yuan <= fine
    assert 0 <= fee.days <= max(delay, 0)


@PROPERTY
@given(fine=FINES, due=DUES, delay=DELAYS, later=st.integers(min_value=0, max_value=60), intervals=INTERVALS)
def test_paying_later_never_costs_less(fine, due, delay, later, intervals):
    paused = [(due + timedelta(days=a), due + timedelta(days=a + length)) for a, length in intervals]
    paid = due + timedelta(days=delay)
    early = late_fee(fine, due, paid, BOOK, paused=paused)
    late = late_fee(fine, due, paid + timedelta(days=later), BOOK, paused=paused)
    assert late.days >= early.days and late.late_fee_yuan >= early.late_fee_yuan


@PROPERTY
@given(fine=FINES, due=DUES, delay=st.integers(min_value=0, max_value=800))
def test_without_pauses_the_fee_is_three_percent_a_day_floored_or_the_fine(fine, due, delay):
    fee = late_fee(fine, due, due + timedelta(days=delay), BOOK)
    assert fee.days == delay
    assert fee.late_fee_yuan == min(fine * 3 * delay // 100, fine)
    assert fee.capped == (3 * delay > 100 and fine > 0)


# --- jiafa law late-fee ---


def run(*args: str) -> tuple[int, str, str]:
    return run_command("law", "late-fee", *args)


def test_cli_late_fee_json():
    code, out, _ = run("--fine", "2000", "--due", "2024-03-01", "--paid", "2024-03-02", "--json")
    assert code == 0
    data = json.loads(out)
    assert (data["days"], data["late_fee_yuan"], data["basis"]) == (1, 60, [ART_72])


def test_cli_late_fee_with_a_review_period_in_text():
    code, out, _ = run(
        "--fine", "1000", "--due", "2024-03-01", "--paid", "2024-03-31", "--paused", "2024-03-10/2024-03-19"
    )
    assert code == 0
    assert "加处罚款 600 元" in out and "第七十三条第三款" in out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("--fine=-5", "--due", "2024-03-01", "--paid", "2024-03-02"), "不能为负数"),
        (("--fine", "abc", "--due", "2024-03-01", "--paid", "2024-03-02"), "应为整数"),
        (("--fine", "100", "--due", "2024-3-1", "--paid", "2024-03-02"), "缴款期限 “2024-3-1” 不是有效日期"),
        (("--fine", "100", "--due", "2024-03-01", "--paid", "2024-03-02", "--paused", "x"), "起始日/结束日"),
    ],
)
def test_cli_late_fee_refusals_exit_2(args, words):
    code, out, err = run(*args)
    assert (code, out) == (2, "")
    assert words in err and "invalid_input" in err
