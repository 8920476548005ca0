from datetime import date

from ninja import Schema

from jiafa.law.deadlines import DeadlineKind


class BasisOut(Schema):
    law: str
    article: str


class DeadlineOut(Schema):
    kind: DeadlineKind
    start: date
    due: date
    working_days: bool
    basis: list[BasisOut]
    label: str  # 期限名称
    period: str  # "5个工作日"
    due_label: str  # what `due` is: mostly the last day, for some kinds the earliest day to act
    explanation: str


class LateFeeOut(Schema):
    days: int
    late_fee_yuan: int
    capped: bool
    paused_days: int
    basis: list[BasisOut]
    explanation: str
