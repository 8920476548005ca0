"""The case timeline: one writer for every kind of event, so the timeline reads the same everywhere."""

from __future__ import annotations

from typing import Any

from jiafa.cases.models import Case, CaseEvent
from jiafa.cases.states import BY_ACTION
from jiafa.core import rows
from jiafa.core.models import User

# Events that are not status steps of the transition table.
EXTRA_LABELS = {
    "register": "登记案源",
    "document": "生成文书",
    "evidence": "添加证据",
    "remedy": "登记复议或诉讼",
    "remedy_result": "复议或诉讼结果",
}


def label(kind: str) -> str:
    row = BY_ACTION.get(kind)
    return row.label if row else EXTRA_LABELS.get(kind, kind)


def record(
    case: Case, kind: str, actor: User, *, status_from: str = "", note: str = "", **data: Any
) -> CaseEvent:
    event = CaseEvent(
        case=case,
        kind=kind,
        actor=actor,
        status_from=status_from,
        status_to=case.status,
        note=note,
        data=data,
    )
    rows.insert(event)
    return event
