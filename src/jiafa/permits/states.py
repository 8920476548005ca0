"""The lifecycle of an oversize transport permit application (大件运输许可申请): its statuses and THE table of
steps. Every change of status goes through one row: the action, the statuses it may start from, the statuses
it may lead to, and the permission it needs (core.roles). What a step needs beyond that (reasons for a
refusal, a route for an approval) is checked by actions.py.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass

from django.db import models

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.roles import Perm


class PermitStatus(models.TextChoices):
    UNDER_REVIEW = "under_review", "审查中"
    REFERRED = "referred", "待桥梁工程师评定"
    REINFORCEMENT = "reinforcement", "桥梁加固改造中"
    APPROVED = "approved", "已许可"
    REJECTED = "rejected", "不予许可"
    SUSPENDED = "suspended", "已中止"
    REVOKED = "revoked", "已撤销"


COLOURS: dict[PermitStatus, str] = {
    PermitStatus.UNDER_REVIEW: "blue",
    PermitStatus.REFERRED: "amber",
    PermitStatus.REINFORCEMENT: "purple",
    PermitStatus.APPROVED: "green",
    PermitStatus.REJECTED: "red",
    PermitStatus.SUSPENDED: "orange",
    PermitStatus.REVOKED: "grey",
}

S = PermitStatus
# Statuses in which the statutory time limit for the decision runs (or is paused, in reinforcement).
PENDING = frozenset({S.UNDER_REVIEW, S.REFERRED, S.REINFORCEMENT})
# After the automatic check: a passable route goes to review, none to the bridge engineer.
CHECKED = frozenset({S.UNDER_REVIEW, S.REFERRED})


@dataclass(frozen=True)
class Transition:
    action: str
    label: str  # the button staff see
    sources: frozenset[PermitStatus]  # empty: the step creates the application
    targets: frozenset[PermitStatus]  # the action picks one from the facts
    perm: Perm


def _t(action: str, label: str, sources: AbstractSet[S], targets: AbstractSet[S], perm: Perm) -> Transition:
    return Transition(action, label, frozenset(sources), frozenset(targets), perm)


TRANSITIONS: tuple[Transition, ...] = (
    _t("apply", "受理申请并自动校核", set(), CHECKED, Perm.PERMIT_HANDLE),
    _t("amend", "变更申请并重新校核", {S.UNDER_REVIEW, S.REFERRED, S.APPROVED}, CHECKED, Perm.PERMIT_HANDLE),
    _t("refer", "转桥梁工程师评定", {S.UNDER_REVIEW}, {S.REFERRED}, Perm.PERMIT_HANDLE),
    _t("assess", "记录桥梁工程师评定意见", {S.REFERRED}, {S.UNDER_REVIEW}, Perm.PERMIT_DECIDE),
    _t(
        "start_reinforcement",
        "桥梁加固改造（期限中止）",
        PENDING - {S.REINFORCEMENT},
        {S.REINFORCEMENT},
        Perm.PERMIT_DECIDE,
    ),
    _t("finish_reinforcement", "加固改造完成", {S.REINFORCEMENT}, {S.UNDER_REVIEW}, Perm.PERMIT_DECIDE),
    _t("approve", "准予许可", {S.UNDER_REVIEW}, {S.APPROVED}, Perm.PERMIT_DECIDE),
    _t("reject", "不予许可", {S.UNDER_REVIEW, S.REFERRED}, {S.REJECTED}, Perm.PERMIT_DECIDE),
    _t("suspend", "中止许可", {S.APPROVED}, {S.SUSPENDED}, Perm.PERMIT_DECIDE),
    _t("resume", "恢复许可", {S.SUSPENDED}, {S.APPROVED}, Perm.PERMIT_DECIDE),
    _t("revoke", "撤销许可", {S.APPROVED, S.SUSPENDED}, {S.REVOKED}, Perm.PERMIT_DECIDE),
)
BY_ACTION: dict[str, Transition] = {t.action: t for t in TRANSITIONS}


def transition(action: str, status: str | None) -> Transition:
    """The row for `action` if it may be taken from `status` (None: no application yet); otherwise a 409
    refusal saying from which statuses it may."""
    row = BY_ACTION.get(action)
    if row is None:
        raise JiafaError(ErrorCode.NOT_FOUND, f"没有“{action}”这一许可步骤")
    if (status is None) != (not row.sources) or (status is not None and status not in row.sources):
        allowed = "、".join(PermitStatus(s).label for s in sorted(row.sources)) or "尚未受理"
        current = PermitStatus(status).label if status else "尚未受理"
        raise JiafaError(ErrorCode.ILLEGAL_STEP, f"申请当前为“{current}”，不能{row.label}（仅限：{allowed}）")
    return row
