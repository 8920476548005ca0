"""Every row of the transition table, from each of its sources, through the real actions; and every step
that the table forbids, refused with 409 and leaving the case untouched."""

from __future__ import annotations

from typing import Any

import pytest

from jiafa.cases import actions
from jiafa.cases.models import CaseEvent
from jiafa.cases.schemas import STEP_INPUTS
from jiafa.cases.states import BY_ACTION, OPEN_BEFORE_DECISION, TRANSITIONS, CaseStatus
from jiafa.core.errors import JiafaError
from tests.cases.conftest import HEARING_PATH, OVER_40T, Team, advance, step

pytestmark = pytest.mark.django_db
S = CaseStatus

# A valid payload per action, for the cases built by advance() (dates after its own steps, before TODAY).
VALID: dict[str, dict[str, Any]] = {
    "file": {"filed_on": "2025-12-01"},
    "decline": {"reason": "不属于本机关管辖"},
    "summary_decide": {
        "decided_on": "2025-11-20",
        "kinds": ["warning"],
        "fine_yuan": 0,
        "facts_for_tier": {"overload_kg": 800, "repeat_12m": 0, "corrected": True},
    },
    "add_record": {"kind": "inquiry_record", "made_on": "2025-12-02", "content": "询问当事人，承认超载。"},
    "conclude": {"outcome": "penalty", "kinds": ["fine"], "fine_yuan": 20000, "facts_for_tier": OVER_40T},
    "reopen": {"reason": "称重记录缺检定证书，补充调查"},
    "notify": {"served_on": "2025-12-10"},
    "record_defence": {"made_on": "2025-12-13", "statement": "货主要求装载，请求从轻处罚。"},
    "request_hearing": {"requested_on": "2025-12-12"},
    "schedule_hearing": {"notice_on": "2025-12-15", "hearing_on": "2025-12-26", "chair": "fazhi"},
    "record_hearing": {"attended": False, "record": "当事人无正当理由未到场。"},
    "proceed": {"waived": False},
    "legal_review": {"opinion": "同意。"},
    "collective_discussion": {"held_on": "2026-01-05", "participants": "局领导班子", "conclusion": "同意"},
    "decide": {"decided_on": "2026-01-08", "outcome": "penalty", "kinds": ["fine"], "fine_yuan": 20000},
    "transfer": {
        "outcome": "handover",
        "to": "嘉兴市综合行政执法局",
        "reason": "不属本部门职权",
        "transferred_on": "2025-12-05",
    },
    "serve": {"served_on": "2026-01-09", "method": "邮寄"},
    "approve_deferral": {"new_due": "2026-03-31", "reason": "当事人经营困难，申请延期缴纳"},
    "pay": {"paid_on": "2026-01-20", "fine_yuan": 20000, "late_fee_yuan": 0, "receipt_no": "PJ-9"},
    "demand": {"served_on": "2026-02-02"},
    "apply_court": {"applied_on": "2026-09-14"},
    "suspend": {"suspended_on": "2026-01-02", "reason": "当事人下落不明"},
    "resume": {"resumed_on": "2026-01-12"},
    "extend": {"days": 10, "reason": "案情复杂"},
    "close": {"closed_on": "2026-09-14"},
    "archive": {},
}

# Each (row, source) with what must be done first to meet the step's own conditions, and the expected target.
ROW_CASES: list[tuple[str, S, list[tuple[str, str, dict[str, Any]]], dict[str, Any], S]] = [
    ("file", S.REGISTERED, [], {}, S.INVESTIGATING),
    ("decline", S.REGISTERED, [], {}, S.DECLINED),
    ("summary_decide", S.REGISTERED, [], {}, S.EXECUTING),
    ("add_record", S.INVESTIGATING, [], {}, S.INVESTIGATING),
    ("conclude", S.INVESTIGATING, [], {}, S.PROPOSED),
    ("reopen", S.PROPOSED, [], {}, S.INVESTIGATING),
    ("reopen", S.REVIEWING, [], {}, S.INVESTIGATING),
    ("notify", S.PROPOSED, [], {}, S.NOTIFIED),
    ("record_defence", S.NOTIFIED, [], {}, S.NOTIFIED),
    ("record_defence", S.HEARING, [], {}, S.HEARING),
    ("request_hearing", S.NOTIFIED, [], {}, S.HEARING),
    ("schedule_hearing", S.HEARING, [], {}, S.HEARING),
    ("record_hearing", S.HEARING, [HEARING_PATH[4]], {}, S.REVIEWING),
    ("proceed", S.NOTIFIED, [], {}, S.REVIEWING),
    ("legal_review", S.REVIEWING, [], {}, S.DISCUSSING),
    ("collective_discussion", S.DISCUSSING, [], {}, S.PENDING_DECISION),
    ("decide", S.PENDING_DECISION, [], {}, S.DECIDED),
    (
        "decide",
        S.PROPOSED,
        [],
        {"outcome": "minor_exemption", "kinds": [], "fine_yuan": 0, "decided_on": "2025-12-08"},
        S.DECIDED,
    ),
    ("transfer", S.INVESTIGATING, [], {}, S.TRANSFERRED),
    ("transfer", S.PROPOSED, [], {}, S.TRANSFERRED),
    ("serve", S.DECIDED, [], {}, S.EXECUTING),
    ("approve_deferral", S.EXECUTING, [], {}, S.EXECUTING),
    ("pay", S.EXECUTING, [], {}, S.EXECUTING),
    # Paid after the demand: 15 days late (01-27..02-10) at 3% of ¥20,000 a day = ¥9,000 (Art. 72).
    ("pay", S.DEMANDED, [], {"paid_on": "2026-02-10", "late_fee_yuan": 9000}, S.DEMANDED),
    # Paid after the court application: months late, the late fee is capped at the fine.
    ("pay", S.COURT, [], {"paid_on": "2026-09-14", "late_fee_yuan": 20000}, S.COURT),
    ("demand", S.EXECUTING, [], {}, S.DEMANDED),
    ("apply_court", S.DEMANDED, [], {}, S.COURT),
    *[("suspend", s, [], {}, S.SUSPENDED) for s in sorted(OPEN_BEFORE_DECISION)],
    *[("extend", s, [], {}, s) for s in sorted(OPEN_BEFORE_DECISION)],
    ("resume", S.SUSPENDED, [], {}, S.INVESTIGATING),
    ("close", S.EXECUTING, [("pay", "officer", VALID["pay"])], {}, S.CLOSED),
    ("close", S.COURT, [], {}, S.CLOSED),
    ("close", S.TRANSFERRED, [], {}, S.CLOSED),
    ("archive", S.CLOSED, [], {}, S.ARCHIVED),
]


def test_every_row_and_source_is_covered_and_every_action_has_a_form():
    covered = {(action, source) for action, source, *_ in ROW_CASES}
    expected = {(t.action, s) for t in TRANSITIONS for s in t.sources}
    assert covered == expected
    assert set(STEP_INPUTS) == set(BY_ACTION) == set(actions.STEPS)


@pytest.mark.parametrize(
    ("action", "source", "setup", "override", "target"),
    ROW_CASES,
    ids=[f"{a}-from-{s}" for a, s, *_ in ROW_CASES],
)
def test_row(team: Team, action, source, setup, override, target):
    case = advance(team, source)
    for extra in setup:
        case = step(team, case, *extra)
    who = team.for_role(BY_ACTION[action].roles)
    before_events = case.events.count()
    after = actions.perform(action, case.pk, VALID[action] | override, actor=who)
    assert after.status == target
    assert after.version == case.version + 1
    last = CaseEvent.objects.filter(case=case).order_by("-id").first()
    assert case.events.count() > before_events and last.kind == action
    assert (last.status_from, last.status_to, last.actor) == (source, target, who)


@pytest.mark.parametrize("status", [s for s in S if s != S.SUSPENDED] + [S.SUSPENDED])
def test_every_forbidden_step_is_refused_and_changes_nothing(team: Team, status):
    case = advance(team, status)
    version, events = case.version, case.events.count()
    forbidden = [t for t in TRANSITIONS if status not in t.sources]
    assert forbidden, "every status forbids something"
    for row in forbidden:
        with pytest.raises(JiafaError) as e:
            actions.perform(row.action, case.pk, VALID[row.action], actor=team.for_role(row.roles))
        assert (e.value.code, e.value.status) == ("illegal_step", 409), row.action
        assert f"不能{row.label}" in e.value.message
    case.refresh_from_db()
    assert (case.status, case.version, case.events.count()) == (status, version, events)


def test_resume_returns_to_where_the_case_stopped(team: Team):
    for status in sorted(OPEN_BEFORE_DECISION):
        case = advance(team, status)
        case = step(team, case, "suspend", "leader", {"suspended_on": "2026-01-02", "reason": "等待鉴定结论"})
        case = step(team, case, "resume", "leader", {"resumed_on": "2026-01-12"})
        assert case.status == status
