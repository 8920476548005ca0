"""The lifecycle of an administrative penalty case (行政处罚案件): its statuses and THE table of steps.

Every change of a case's status goes through one row of TRANSITIONS: the action, the statuses it may start
from, the statuses it may lead to, and the roles that may take it. Whatever an action needs beyond that (a
window that must have closed, a document that must exist) is checked by the action in actions.py.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from django.db import models

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.roles import Role


class CaseStatus(models.TextChoices):
    REGISTERED = "registered", "待立案"
    DECLINED = "declined", "不予立案"
    INVESTIGATING = "investigating", "调查取证"
    PROPOSED = "proposed", "调查终结"
    NOTIFIED = "notified", "告知/陈述申辩"
    HEARING = "hearing", "听证"
    REVIEWING = "reviewing", "法制审核"
    DISCUSSING = "discussing", "集体讨论"
    PENDING_DECISION = "pending_decision", "待决定"
    DECIDED = "decided", "已决定待送达"
    EXECUTING = "executing", "执行中"
    DEMANDED = "demanded", "已催告"
    COURT = "court", "申请法院强制执行"
    TRANSFERRED = "transferred", "已移送"
    SUSPENDED = "suspended", "中止"
    CLOSED = "closed", "已结案"
    ARCHIVED = "archived", "已归档"


# Colour per status for badges: grey = not (yet) a case, blue = investigation, amber = the party's turn,
# purple = internal review, indigo = decision, teal/orange/red = execution, green = done.
COLOURS: dict[CaseStatus, str] = {
    CaseStatus.REGISTERED: "grey",
    CaseStatus.DECLINED: "grey",
    CaseStatus.INVESTIGATING: "blue",
    CaseStatus.PROPOSED: "blue",
    CaseStatus.NOTIFIED: "amber",
    CaseStatus.HEARING: "amber",
    CaseStatus.REVIEWING: "purple",
    CaseStatus.DISCUSSING: "purple",
    CaseStatus.PENDING_DECISION: "indigo",
    CaseStatus.DECIDED: "indigo",
    CaseStatus.EXECUTING: "teal",
    CaseStatus.DEMANDED: "orange",
    CaseStatus.COURT: "red",
    CaseStatus.TRANSFERRED: "grey",
    CaseStatus.SUSPENDED: "grey",
    CaseStatus.CLOSED: "green",
    CaseStatus.ARCHIVED: "green",
}

S = CaseStatus
OFFICERS = frozenset({Role.OFFICER, Role.SQUADRON_LEADER})
LEADERS = frozenset({Role.SQUADRON_LEADER, Role.BUREAU_LEADER})
# Statuses in which the investigation or decision is still open, so the case may be suspended (中止).
OPEN_BEFORE_DECISION = frozenset(
    {S.INVESTIGATING, S.PROPOSED, S.NOTIFIED, S.HEARING, S.REVIEWING, S.DISCUSSING, S.PENDING_DECISION}
)
AWAITING_PAYMENT = frozenset({S.EXECUTING, S.DEMANDED, S.COURT})
DONE = frozenset({S.DECLINED, S.CLOSED, S.ARCHIVED})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button officers see
    sources: frozenset[CaseStatus]
    targets: frozenset[CaseStatus]  # the action picks one from the case's facts; equal to sources: no move
    roles: frozenset[Role]


def _t(
    action: str, label: str, sources: AbstractSet[S], targets: AbstractSet[S], roles: frozenset[Role]
) -> Transition:
    return Transition(action, label, frozenset(sources), frozenset(targets), roles)


TRANSITIONS: tuple[Transition, ...] = (
    _t("file", "批准立案", {S.REGISTERED}, {S.INVESTIGATING}, LEADERS),
    _t("decline", "不予立案", {S.REGISTERED}, {S.DECLINED}, LEADERS),
    _t("summary_decide", "当场处罚（简易程序）", {S.REGISTERED}, {S.EXECUTING}, OFFICERS),
    _t("add_record", "制作笔录", {S.INVESTIGATING}, {S.INVESTIGATING}, OFFICERS),
    _t("conclude", "调查终结", {S.INVESTIGATING}, {S.PROPOSED}, OFFICERS),
    _t("reopen", "补充调查", {S.PROPOSED, S.REVIEWING}, {S.INVESTIGATING}, OFFICERS | {Role.LEGAL_REVIEWER}),
    _t("notify", "送达告知书", {S.PROPOSED}, {S.NOTIFIED}, OFFICERS),
    _t("record_defence", "记录陈述申辩", {S.NOTIFIED, S.HEARING}, {S.NOTIFIED, S.HEARING}, OFFICERS),
    _t("request_hearing", "登记听证申请", {S.NOTIFIED}, {S.HEARING}, OFFICERS),
    _t("schedule_hearing", "安排听证", {S.HEARING}, {S.HEARING}, LEADERS | {Role.LEGAL_REVIEWER}),
    _t("record_hearing", "记录听证", {S.HEARING}, {S.REVIEWING}, LEADERS | {Role.LEGAL_REVIEWER}),
    _t("proceed", "陈述申辩期满，进入审核", {S.NOTIFIED}, {S.REVIEWING, S.PENDING_DECISION}, OFFICERS),
    _t(
        "legal_review",
        "法制审核",
        {S.REVIEWING},
        {S.DISCUSSING, S.PENDING_DECISION},
        frozenset({Role.LEGAL_REVIEWER}),
    ),
    _t(
        "collective_discussion",
        "集体讨论",
        {S.DISCUSSING},
        {S.PENDING_DECISION},
        frozenset({Role.BUREAU_LEADER}),
    ),
    _t("decide", "作出决定", {S.PROPOSED, S.PENDING_DECISION}, {S.DECIDED}, LEADERS),
    _t("transfer", "移送", {S.INVESTIGATING, S.PROPOSED}, {S.TRANSFERRED}, LEADERS),
    _t("serve", "送达决定书", {S.DECIDED}, {S.EXECUTING}, OFFICERS),
    _t(
        "approve_deferral", "批准延期/分期缴纳", {S.EXECUTING}, {S.EXECUTING}, frozenset({Role.BUREAU_LEADER})
    ),
    _t("pay", "登记缴款", AWAITING_PAYMENT, AWAITING_PAYMENT, OFFICERS),
    _t("demand", "送达催告书", {S.EXECUTING}, {S.DEMANDED}, OFFICERS),
    _t("apply_court", "申请法院强制执行", {S.DEMANDED}, {S.COURT}, LEADERS),
    _t("suspend", "中止案件", OPEN_BEFORE_DECISION, {S.SUSPENDED}, LEADERS),
    _t("resume", "恢复办理", {S.SUSPENDED}, OPEN_BEFORE_DECISION, LEADERS),
    _t("extend", "延长办案期限", OPEN_BEFORE_DECISION, OPEN_BEFORE_DECISION, frozenset({Role.BUREAU_LEADER})),
    _t("close", "结案", {S.EXECUTING, S.COURT, S.TRANSFERRED}, {S.CLOSED}, LEADERS),
    _t("archive", "归档", {S.CLOSED}, {S.ARCHIVED}, LEADERS | {Role.LEGAL_REVIEWER}),
)
BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def transition(action: str, status: str) -> Transition:
    """The row for `action` if it may be taken from `status`; otherwise a 409 refusal saying why."""
    row = BY_ACTION.get(action)
    if row is None:
        raise JiafaError(ErrorCode.NOT_FOUND, f"没有“{action}”这一办案步骤")
    if status not in row.sources:
        allowed = "、".join(CaseStatus(s).label for s in sorted(row.sources))
        raise JiafaError(
            ErrorCode.ILLEGAL_STEP,
            f"案件当前为“{CaseStatus(status).label}”，不能{row.label}（仅在{allowed}阶段可以）",
        )
    return row


def available(status: str, role: str) -> list[Transition]:
    """The steps a person with `role` may take now: the buttons on the case page."""
    return [t for t in TRANSITIONS if status in t.sources and role in t.roles]
