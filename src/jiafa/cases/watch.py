"""Deadline watch (期限预警): the dates each open case runs against, and the filter for overdue cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import F, Q

from jiafa.cases.models import Case
from jiafa.cases.states import OPEN_BEFORE_DECISION, CaseStatus

S = CaseStatus
NEAR_DAYS = 7  # flagged as near-due this many days ahead


@dataclass(frozen=True)
class Watch:
    label: str
    due: date
    days_left: int
    party: bool = False  # the party's window (e.g. to defend): when it has passed the case moves on, not late

    @property
    def overdue(self) -> bool:
        return self.days_left < 0 and not self.party

    @property
    def passed(self) -> bool:
        return self.days_left < 0

    @property
    def days_over(self) -> int:
        return -self.days_left

    @property
    def near(self) -> bool:
        return 0 <= self.days_left <= NEAR_DAYS


def deadlines(case: Case, today: date) -> list[Watch]:
    """The dates that matter in the case's current status, soonest first (no database access)."""
    dates: list[tuple[str, date | None, bool]] = []
    if case.status in OPEN_BEFORE_DECISION:
        dates.append(("作出决定期限", case.decision_due, False))
    if case.status == S.NOTIFIED:
        dates.append(("陈述申辩/听证申请期限", case.defence_until, True))
    if case.status == S.HEARING:
        dates.append(("听证日期", case.hearing_on, True))
    if case.status == S.DECIDED:
        dates.append(("送达期限", case.service_due, False))
    if case.status == S.EXECUTING and case.fine_outstanding_yuan:
        dates.append(("缴款期限", case.payment_due, False))  # unpaid after it: the bureau must follow up
    found = [Watch(label, due, (due - today).days, party) for label, due, party in dates if due is not None]
    # The bureau's own deadlines first when several run at once: those are the ones it can miss.
    return sorted(found, key=lambda w: (w.party, w.due))


def overdue_q(today: date) -> Q:
    """Cases past a deadline the bureau must keep, or with a fine left unpaid past its date."""
    return (
        Q(status__in=OPEN_BEFORE_DECISION, decision_due__lt=today)
        | Q(status=S.DECIDED, service_due__lt=today)
        | Q(status=S.EXECUTING, payment_due__lt=today, fine_yuan__gt=F("paid_yuan"))
    )
