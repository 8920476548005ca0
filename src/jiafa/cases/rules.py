"""Procedural rules of a case (行政处罚法), pure: numbers come from the rulebook, days from the work calendar,
the date is always an argument. Each refusal names its article."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from jiafa.cases.states import CaseStatus
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law.ruledata import RuleBook

LAW = "《行政处罚法》"


def has_hearing_right(
    party_kind: str, kinds: Iterable[str], fine_yuan: int, book: RuleBook, on: date
) -> bool:
    """Art. 63: a large fine (threshold set by the province) or a heavy penalty gives a hearing right."""
    large = book.value("hearing.large_fine_yuan", on=on)[party_kind]
    heavy = set(book.value("hearing.heavy_kinds", on=on))
    kinds = set(kinds)
    return bool(kinds & heavy) or ("fine" in kinds and fine_yuan >= large)


def legal_review_required(
    *, hearing_right: bool, hearing_held: bool, complex_case: bool, book: RuleBook, on: date
) -> bool:
    """Art. 58: before the decision, legal review where major rights are at stake after a hearing, where the
    case is complex, or where the penalty is heavy enough to carry a hearing right — and for every ordinary
    case where the bureau reviews all of them centrally (集中案审, a bureau setting)."""
    every_case = bool(book.value("legal_review.all_ordinary_cases", on=on))
    return every_case or hearing_right or hearing_held or complex_case


def discussion_required(*, hearing_right: bool, complex_case: bool) -> bool:
    """Art. 57(2): complex cases and heavy penalties for major violations are decided collectively."""
    return hearing_right or complex_case


def stage_after_defence(*, review: bool) -> CaseStatus:
    # Discussion is never required without review (Arts. 57, 58 cover it), so review comes first or nothing.
    return CaseStatus.REVIEWING if review else CaseStatus.PENDING_DECISION


def check_summary(party_kind: str, kinds: Iterable[str], fine_yuan: int, book: RuleBook, on: date) -> None:
    """Art. 51: on the spot only a warning or a fine up to ¥200 (person) / ¥3,000 (organisation)."""
    kinds = set(kinds)
    limit = book.value("summary.max_fine_yuan", on=on)[party_kind]
    if not kinds or kinds - {"warning", "fine"}:
        raise JiafaError(ErrorCode.INVALID_INPUT, f"简易程序只能给予警告或罚款（{LAW}第五十一条）")
    if "fine" in kinds and not 0 < fine_yuan <= limit:
        who = "公民" if party_kind == "person" else "法人或其他组织"
        raise JiafaError(
            ErrorCode.INVALID_INPUT,
            f"简易程序对{who}罚款须在 {limit} 元以下（{LAW}第五十一条），本案为 {fine_yuan} 元",
        )


def check_not_heavier(
    proposed_kinds: Iterable[str], proposed_fine: int, kinds: Iterable[str], fine: int
) -> None:
    """Arts. 44, 45: the decision may not exceed what the party was told, nor punish them for defending."""
    added = set(kinds) - set(proposed_kinds)
    if added:
        raise JiafaError(
            ErrorCode.INVALID_INPUT,
            f"决定的处罚种类超出告知内容（{'、'.join(sorted(added))}）；须重新告知（{LAW}第四十四条、第四十五条）",
        )
    if fine > proposed_fine:
        raise JiafaError(
            ErrorCode.INVALID_INPUT,
            f"决定罚款 {fine} 元高于告知的 {proposed_fine} 元；"
            f"不得因当事人陈述申辩而加重处罚（{LAW}第四十五条）",
        )
