"""Statutory deadlines (法定期限) and the late fee (加处罚款) of a penalty case (law.md §1, §2).

Pure code: no Django, no database, no clock. Every number — how long a period is, whether it counts working
days, the late-fee rate and cap — comes from the rule book (data/rules/*.json). This module only knows how
each unit of period is counted and what the resulting day means for the officer.

Rule shape of a deadline (`deadline.<kind>`): `value` is the length (a positive integer) and `unit` one of
`PeriodUnit`; the start day is never counted (law.md §1):
- working_days: the n-th working day after the start (行政处罚法 Art. 85, 行政强制法 Art. 69);
- days / months: calendar days, or the same-numbered day n months on (or that month's last day); a last day
  that is a rest day moves to the next working day;
- years: the same day n years on (29 Feb → 28 Feb), NOT moved off rest days. Periods in years are the
  limitation periods of Art. 36: they bound the bureau's power to punish rather than give a party time to act,
  so the rest-day extension that protects a party would here only extend the power against them; and
  "discovered" can happen on any day.

What `due` means depends on the kind (see `_SPECS`): mostly the last day of the period, but
- hearing_notice: `start` is the day the hearing notice reaches the party; `due` is the earliest day the
  hearing may be held (Art. 64(2): notice at least 7 working days before). When `start` is a working day this
  is exact; on a rest day it is one working day later than strictly needed, which errs on the safe side;
- demand_notice: `start` is the day the 催告书 is served; `due` is the earliest day the bureau may apply to
  court (行政强制法 Art. 54: "送达十日后"), i.e. the first working day after the party's period has run out;
- court_application: `start` is the day on which both the review and the lawsuit periods have expired
  (行政强制法 Art. 53: "自期限届满之日起三个月内"); `due` is the last day to apply.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law.calendar import (
    NoScheduleError,
    ScheduleFormatError,
    WorkCalendar,
    parse_iso_date,
    same_day_months_later,
)
from jiafa.law.ruledata import Rule, RuleBook, RuleDataError

MONTHS_PER_YEAR = 12
_WHOLE_YUAN = re.compile(r"-?[0-9]{1,15}")  # ASCII digits; a bound keeps int() away from huge strings


class PeriodUnit(StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    MONTHS = "months"
    YEARS = "years"


_UNIT_ZH = {
    PeriodUnit.WORKING_DAYS: "个工作日",
    PeriodUnit.DAYS: "日",
    PeriodUnit.MONTHS: "个月",
    PeriodUnit.YEARS: "年",
}
# Appended to every explanation, so that the text stays true when a bureau changes a rule's unit.
_COUNTING_ZH = {
    PeriodUnit.WORKING_DAYS: "按工作日计算，不含法定节假日，调休上班日计入。",
    PeriodUnit.DAYS: "按自然日计算；最后一日为休息日或法定节假日的，顺延至其后的第一个工作日。",
    PeriodUnit.MONTHS: "按月计算，到期月的对应日（无对应日的为该月末日）届满；"
    "该日为休息日或法定节假日的，顺延至其后的第一个工作日。",
    PeriodUnit.YEARS: "按年计算，到期年的对应日届满；时效届满之日不因节假日顺延。",
}

PENALTY_LAW_WORKING_DAYS = "counting.working_days.administrative_penalty_law"  # 行政处罚法 Art. 85
COERCION_LAW_WORKING_DAYS = "counting.working_days.administrative_coercion_law"  # 行政强制法 Art. 69


class DeadlineKind(StrEnum):
    HEARING_REQUEST = "hearing_request"  # 申请听证
    HEARING_NOTICE = "hearing_notice"  # 听证通知
    SERVICE = "service"  # 送达
    PAYMENT = "payment"  # 缴纳罚款
    DECISION = "decision"  # 作出处罚决定
    COURT_APPLICATION = "court_application"  # 申请法院强制执行
    DEMAND_NOTICE = "demand_notice"  # 催告
    LIMITATION = "limitation"  # 追责时效
    LIMITATION_SERIOUS = "limitation_serious"  # 追责时效（危害生命健康、金融安全）

    @property
    def label(self) -> str:
        return _SPECS[self].label

    @property
    def start_label(self) -> str:
        return _SPECS[self].start_label

    @property
    def due_label(self) -> str:
        return _SPECS[self].due_label

    @property
    def rule_key(self) -> str:
        return f"deadline.{self.value}"


@dataclass(frozen=True)
class _Spec:
    label: str  # the kind's name
    start_label: str  # which day the officer enters as `start`
    due_label: str  # what `due` is
    explanation: str  # the legal sentence, with {period} for "5个工作日"
    working_day_rule: str  # the article that makes this law's short periods working days
    after_period: bool = False  # `due` is the first working day after the period rather than its last day


_SPECS: dict[DeadlineKind, _Spec] = {
    DeadlineKind.HEARING_REQUEST: _Spec(
        "申请听证期限",
        "告知之日（违法行为通知书送达之日）",
        "申请听证的最后一日",
        "当事人要求听证的，应当自行政机关告知之日起{period}内（不含告知当日）提出。",
        PENALTY_LAW_WORKING_DAYS,
    ),
    DeadlineKind.HEARING_NOTICE: _Spec(
        "听证通知期限",
        "听证通知书送达之日",
        "最早可举行听证之日",
        "行政机关应当在举行听证的{period}前通知当事人及有关人员听证的时间、地点；"
        "按所填通知日（当日不计）计算，听证最早可在所示日期举行。",
        PENALTY_LAW_WORKING_DAYS,
    ),
    DeadlineKind.SERVICE: _Spec(
        "处罚决定书送达期限",
        "宣告处罚决定之日",
        "送达的最后一日",
        "行政处罚决定书应当在宣告后当场交付当事人；当事人不在场的，"
        "应当自宣告之日起{period}内（不含当日）依照民事诉讼法的有关规定送达。",
        PENALTY_LAW_WORKING_DAYS,
    ),
    DeadlineKind.PAYMENT: _Spec(
        "罚款缴纳期限",
        "当事人收到处罚决定书之日",
        "缴纳罚款的最后一日",
        "当事人应当自收到行政处罚决定书之日起{period}内（不含当日）缴纳罚款；逾期不缴纳的，自期满次日起每日加处罚款。",
        PENALTY_LAW_WORKING_DAYS,
    ),
    DeadlineKind.DECISION: _Spec(
        "作出处罚决定期限",
        "立案之日",
        "作出处罚决定的最后一日",
        "行政机关应当自立案之日起{period}内（不含当日）作出行政处罚决定；法律、法规、规章另有规定的，从其规定。",
        PENALTY_LAW_WORKING_DAYS,
    ),
    DeadlineKind.COURT_APPLICATION: _Spec(
        "申请法院强制执行期限",
        "申请复议、提起诉讼的法定期限均届满之日",
        "申请强制执行的最后一日",
        "当事人在法定期限内不申请行政复议或者提起行政诉讼，又不履行行政决定的，"
        "行政机关可以自期限届满之日起{period}内（不含当日）申请人民法院强制执行。",
        COERCION_LAW_WORKING_DAYS,
    ),
    DeadlineKind.DEMAND_NOTICE: _Spec(
        "催告期限",
        "催告书送达之日",
        "最早可申请强制执行之日",
        "催告书送达之日起{period}（不含当日）届满后当事人仍未履行义务的，方可申请人民法院强制执行；"
        "所示日期为期满后的第一个工作日。",
        COERCION_LAW_WORKING_DAYS,
        after_period=True,
    ),
    DeadlineKind.LIMITATION: _Spec(
        "追责时效",
        "违法行为发生之日（连续或继续状态的，为行为终了之日）",
        "时效届满之日（此日及以前发现的，仍可处罚）",
        "违法行为自发生之日（有连续或者继续状态的，自行为终了之日）起{period}内未被发现的，不再给予行政处罚。",
        PENALTY_LAW_WORKING_DAYS,
    ),
    DeadlineKind.LIMITATION_SERIOUS: _Spec(
        "追责时效（危害生命健康、金融安全）",
        "违法行为发生之日（连续或继续状态的，为行为终了之日）",
        "时效届满之日（此日及以前发现的，仍可处罚）",
        "涉及公民生命健康安全、金融安全且有危害后果的，违法行为自发生（或终了）之日起{period}内未被发现的，"
        "不再给予行政处罚。",
        PENALTY_LAW_WORKING_DAYS,
    ),
}


@dataclass(frozen=True)
class Deadline:
    """A computed deadline with everything an officer or a document needs to state it."""

    kind: DeadlineKind
    start: date
    due: date
    working_days: bool
    basis: list[dict[str, str]]  # [{"law", "article"}], the period's own article first
    label_zh: str
    period_zh: str  # "5个工作日"
    start_label_zh: str  # what `start` is
    due_label_zh: str  # what `due` is
    explanation_zh: str

    def as_json(self) -> dict[str, object]:
        """The contract's fields (docs/contract.md) plus the Chinese texts, JSON-ready."""
        return {
            "kind": str(self.kind),
            "start": self.start.isoformat(),
            "due": self.due.isoformat(),
            "working_days": self.working_days,
            "basis": self.basis,
            "label": self.label_zh,
            "period": self.period_zh,
            "due_label": self.due_label_zh,
            "explanation": self.explanation_zh,
        }


def deadline(kind: DeadlineKind, start: date, calendar: WorkCalendar, book: RuleBook) -> Deadline:
    """The deadline of `kind` counted from `start` under the rules in force on `start`."""
    spec = _SPECS[kind]
    rule = _rule(book, kind.rule_key, start)
    count, unit = _period(rule)
    basis = [rule.basis]
    if unit is PeriodUnit.WORKING_DAYS:
        basis.append(_rule(book, spec.working_day_rule, start).basis)
    try:
        end = period_end(rule, start, calendar)
        due = calendar.add_working_days(end, 1) if spec.after_period else end
    except NoScheduleError as e:
        raise JiafaError(ErrorCode.NO_SCHEDULE, str(e)) from e
    period_zh = f"{count}{_UNIT_ZH[unit]}"
    return Deadline(
        kind=kind,
        start=start,
        due=due,
        working_days=unit is PeriodUnit.WORKING_DAYS,
        basis=basis,
        label_zh=spec.label,
        period_zh=period_zh,
        start_label_zh=spec.start_label,
        due_label_zh=spec.due_label,
        explanation_zh=spec.explanation.format(period=period_zh) + _COUNTING_ZH[unit],
    )


def _period(rule: Rule) -> tuple[int, PeriodUnit]:
    count = rule.value
    if not isinstance(count, int) or isinstance(count, bool) or count < 1:
        raise RuleDataError(f"规则 {rule.key} 的 value 应为正整数（期间长度），现为 {count!r}")
    try:
        return count, PeriodUnit(rule.unit)
    except ValueError:
        allowed = "、".join(PeriodUnit)
        raise RuleDataError(f"规则 {rule.key} 的 unit “{rule.unit}” 无法识别；可选：{allowed}") from None


def period_end(rule: Rule, start: date, calendar: WorkCalendar) -> date:
    """The last day of the period a rule of the deadline shape (module doc) describes, counted from `start`.

    Raises NoScheduleError when the count reaches a year without a holiday schedule.
    """
    count, unit = _period(rule)
    if unit is PeriodUnit.WORKING_DAYS:
        return calendar.add_working_days(start, count)
    if unit is PeriodUnit.DAYS:
        return calendar.add_days(start, count)
    if unit is PeriodUnit.MONTHS:
        return calendar.add_months(start, count)
    return same_day_months_later(start, count * MONTHS_PER_YEAR)  # limitation: never moved (module doc)


# --- Late fee (加处罚款) ---


class Rounding(StrEnum):
    """How the exact late fee becomes whole yuan: a bureau setting, the law says nothing about it."""

    FLOOR = "floor"  # drop 角 and 分: never more than the law allows
    HALF_UP = "half_up"


@dataclass(frozen=True)
class LateFee:
    days: int  # days of delay counted, paused days excluded
    late_fee_yuan: int
    capped: bool  # True when the cap cut the amount: more days would add nothing
    paused_days: int  # days of delay not counted because review or lawsuit was pending
    basis: list[dict[str, str]]
    explanation_zh: str

    def as_json(self) -> dict[str, object]:
        return {
            "days": self.days,
            "late_fee_yuan": self.late_fee_yuan,
            "capped": self.capped,
            "paused_days": self.paused_days,
            "basis": self.basis,
            "explanation": self.explanation_zh,
        }


def late_fee(
    fine_yuan: int,
    due: date,
    paid: date,
    book: RuleBook,
    *,
    paused: Sequence[tuple[date, date]] = (),
) -> LateFee:
    """The late fee owed when a fine due on `due` (its last day) is paid on `paid`.

    The day after `due` is the first day of delay. `paused` are (first, last) days, both included, on which
    a review or lawsuit was pending (Art. 73); they are not counted. Rules are those in force on `due`. The
    exact amount (rate × fine × days, capped) is rounded to whole yuan as the `late_fee.rounding` rule says.
    """
    if fine_yuan < 0:
        raise JiafaError(ErrorCode.INVALID_INPUT, f"罚款数额不能为负数（{fine_yuan} 元）")
    for first, last in paused:
        if last < first:
            raise JiafaError(
                ErrorCode.INVALID_INPUT,
                f"暂停计算的期间 {first.isoformat()} 至 {last.isoformat()} 起止颠倒",
            )
    rate = _rule(book, "late_fee.daily_rate", due)
    cap = _rule(book, "late_fee.cap", due)
    rounding = _rounding(_rule(book, "late_fee.rounding", due))
    pause = _rule(book, "late_fee.paused_during_review", due)

    delay = max(0, (paid - due).days)
    paused_days = _days_covered(due + timedelta(days=1), paid, paused) if pause.value else 0
    days = delay - paused_days
    # Exact arithmetic: the rate and cap are percentages of the fine, which may be any number in the data.
    exact = Fraction(fine_yuan) * _percent(rate) / 100 * days
    ceiling = Fraction(fine_yuan) * _percent(cap) / 100
    amount = min(exact, ceiling)
    yuan = math.floor(amount) if rounding is Rounding.FLOOR else math.floor(amount + Fraction(1, 2))

    basis = _unique([rate.basis, cap.basis, *([pause.basis] if paused_days else [])])
    explanation = (
        f"缴款期限 {due.isoformat()} 届满后次日起，每日按罚款数额的 {_percent(rate)}% 加处罚款，"
        f"加处罚款不得超出罚款数额的 {_percent(cap)}%。"
        f"逾期 {delay} 日"
        + (f"，其中行政复议或行政诉讼期间 {paused_days} 日不计" if paused_days else "")
        + f"，计 {days} 日。"
        + ("已达上限。" if exact > ceiling else "")
    )
    return LateFee(days, yuan, exact > ceiling, paused_days, basis, explanation)


def _days_covered(first: date, last: date, intervals: Iterable[tuple[date, date]]) -> int:
    """How many days of [first, last] lie in at least one of the intervals (overlaps counted once)."""
    # Ordinals rather than dates: a cursor one past date.max must not overflow.
    covered, cursor, end = 0, first.toordinal(), last.toordinal()
    for a, b in sorted((a.toordinal(), b.toordinal()) for a, b in intervals):
        lo, hi = max(a, cursor), min(b, end)
        if lo <= hi:
            covered += hi - lo + 1
            cursor = hi + 1
    return covered


def _percent(rule: Rule) -> Fraction:
    value = rule.value
    if not isinstance(value, int | float) or isinstance(value, bool) or value < 0:
        raise RuleDataError(f"规则 {rule.key} 的 value 应为不小于 0 的百分数，现为 {value!r}")
    return Fraction(str(value))  # via str: 0.1 means one tenth, not its binary approximation


def _rounding(rule: Rule) -> Rounding:
    try:
        return Rounding(rule.value)
    except ValueError:
        allowed = "、".join(Rounding)
        raise RuleDataError(f"规则 {rule.key} 的 value “{rule.value}” 无法识别；可选：{allowed}") from None


# --- Shared by both ---


def _rule(book: RuleBook, key: str, on: date) -> Rule:
    try:
        return book.get(key, on=on)
    except RuleDataError as e:  # the day lies before the rule took effect: the user's date, not our data
        raise JiafaError(ErrorCode.NO_RULE_IN_FORCE, f"{e}；本平台不计算该日期之前的期限") from e


def _unique(basis: list[dict[str, str]]) -> list[dict[str, str]]:
    """Each article once, in order: several rules often come from one article."""
    seen: list[dict[str, str]] = []
    for item in basis:
        if item not in seen:
            seen.append(item)
    return seen


# --- Values typed by a user (CLI, web form) ---


def parse_kind(text: str) -> DeadlineKind:
    try:
        return DeadlineKind(text.strip())
    except ValueError:
        choices = "；".join(f"{k.value}：{k.label}" for k in DeadlineKind)
        raise JiafaError(ErrorCode.INVALID_INPUT, f"未知的期限类型 “{text}”。可选：{choices}") from None


def parse_day(text: str, what: str) -> date:
    """A YYYY-MM-DD date; `what` names the field in the message ("起算日")."""
    if not text.strip():
        raise JiafaError(ErrorCode.INVALID_INPUT, f"请填写{what}")
    try:
        return parse_iso_date(text.strip(), what)
    except ScheduleFormatError as e:
        raise JiafaError(ErrorCode.INVALID_INPUT, e.message) from e


def parse_fine(text: str) -> int:
    value = text.strip()
    # The sign is let through so that late_fee refuses a negative fine with its own message.
    if not _WHOLE_YUAN.fullmatch(value):
        raise JiafaError(ErrorCode.INVALID_INPUT, f"罚款数额 “{text}” 应为整数（元），例如 2000")
    return int(value)


def parse_paused(text: str) -> tuple[date, date]:
    """One "YYYY-MM-DD/YYYY-MM-DD" interval (ISO 8601 notation): the days a review or lawsuit was pending."""
    first, sep, last = text.partition("/")
    if not sep:
        raise JiafaError(
            ErrorCode.INVALID_INPUT,
            f"暂停计算的期间 “{text}” 应写成 起始日/结束日，例如 2024-03-01/2024-04-15",
        )
    return parse_day(first, "暂停计算期间的起始日"), parse_day(last, "暂停计算期间的结束日")
