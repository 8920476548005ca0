"""A frozen clock and a small bureau for case tests, and `advance()`, which takes a case through the real
actions to any status so that every row of the transition table can be exercised from each of its sources."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from jiafa.cases import actions
from jiafa.cases.models import Case
from jiafa.cases.states import CaseStatus
from jiafa.core.models import User
from jiafa.core.roles import Role
from tests.conftest import BUREAU, HAINING

S = CaseStatus
TODAY = dt.date(2026, 9, 15)  # a Tuesday; every date below lies in years the work calendar covers
VIOLATION = "CX-01"  # 超限运输 (weight): ¥500 per whole 1,000 kg over, at most ¥30,000
OVER_40T = {"overload_kg": 40000, "repeat_12m": 0, "corrected": False}  # → ¥20,000


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> dt.datetime:
    now = dt.datetime(2026, 9, 15, 2, 30, tzinfo=dt.UTC)  # 10:30 in Shanghai
    monkeypatch.setattr(timezone, "now", lambda: now)
    return now


class Team:
    def __init__(self, make_user: Callable[..., User]) -> None:
        self.officer = make_user("hn_officer1", HAINING, Role.OFFICER)
        self.partner = make_user("hn_officer2", HAINING, Role.OFFICER)
        self.leader = make_user("hn_leader", HAINING, Role.SQUADRON_LEADER)
        self.reviewer = make_user("fazhi", "330400-ZFD", Role.LEGAL_REVIEWER)
        self.boss = make_user("boss", BUREAU, Role.BUREAU_LEADER)
        for i, u in enumerate((self.officer, self.partner, self.leader, self.reviewer), start=1):
            u.certificate_no = f"33040000{i:03d}"
            u.save()

    def for_role(self, roles: frozenset[str]) -> User:
        for user in (self.officer, self.leader, self.reviewer, self.boss):
            if user.role in roles:
                return user
        raise AssertionError(f"no team member with a role in {roles}")


@pytest.fixture
def team(make_user: Callable[..., User]) -> Team:
    return Team(make_user)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def register(team: Team, *, party_kind: str = "person", **over: Any) -> Case:
    fields: dict[str, Any] = {
        "source": "inspection",
        "violation_code": VIOLATION,
        "occurred_at": dt.datetime(2025, 11, 20, 2, 0, tzinfo=dt.UTC),
        "place": "G60 沪昆高速嘉兴段 K98",
        "facts": "浙F12345 六轴货车车货总质量 62,000 千克，超过限值 49,000 千克。",
        "party_kind": party_kind,
        "party_name": "张三" if party_kind == "person" else "嘉兴某某物流有限公司",
        "party_id_no": "330402198001011234" if party_kind == "person" else "91330400MA2B123456",
        "vehicle_plate": "浙F12345",
        "officers": [team.officer, team.partner],
    }
    return actions.register(actor=team.officer, **(fields | over))


# The ordinary procedure with a hearing, step by step: (action, who, payload).
HEARING_PATH: list[tuple[str, str, dict[str, Any]]] = [
    ("file", "leader", {"filed_on": "2025-12-01"}),
    (
        "conclude",
        "officer",
        {
            "outcome": "penalty",
            "kinds": ["fine"],
            "fine_yuan": 20000,
            "report": "事实清楚",
            "facts_for_tier": OVER_40T,
        },
    ),
    ("notify", "officer", {"served_on": "2025-12-10"}),
    ("request_hearing", "officer", {"requested_on": "2025-12-12"}),
    ("schedule_hearing", "leader", {"notice_on": "2025-12-15", "hearing_on": "2025-12-26", "chair": "fazhi"}),
    ("record_hearing", "reviewer", {"attended": True, "record": "当事人对超限事实无异议，请求从轻。"}),
    ("legal_review", "reviewer", {"opinion": "事实清楚，证据确凿，适用依据正确，程序合法。"}),
    (
        "collective_discussion",
        "boss",
        {
            "held_on": "2026-01-05",
            "participants": "局长、分管副局长、法规科长",
            "conclusion": "同意罚款 20000 元",
        },
    ),
    (
        "decide",
        "leader",
        {"decided_on": "2026-01-08", "outcome": "penalty", "kinds": ["fine"], "fine_yuan": 20000},
    ),
    ("serve", "officer", {"served_on": "2026-01-09", "method": "直接"}),
]
# From EXECUTING: unpaid, then to court.
UNPAID_PATH: list[tuple[str, str, dict[str, Any]]] = [
    ("demand", "officer", {"served_on": "2026-02-02"}),
    ("apply_court", "leader", {"applied_on": "2026-09-14"}),
]
PAID_PATH: list[tuple[str, str, dict[str, Any]]] = [
    (
        "pay",
        "officer",
        {"paid_on": "2026-01-20", "fine_yuan": 20000, "late_fee_yuan": 0, "receipt_no": "PJ-001"},
    ),
    ("close", "leader", {"closed_on": "2026-01-21"}),
    ("archive", "leader", {}),
]


def step(team: Team, case: Case, action: str, who: str, payload: dict[str, Any]) -> Case:
    return actions.perform(action, case.pk, payload, actor=getattr(team, who))


def advance(team: Team, to: CaseStatus, **register_over: Any) -> Case:
    """A case in status `to`, reached only through real actions."""
    case = register(team, **register_over)
    detours = {
        S.DECLINED: [("decline", "leader", {"reason": "不属于本机关管辖"})],
        S.TRANSFERRED: [
            HEARING_PATH[0],
            (
                "transfer",
                "leader",
                {
                    "outcome": "criminal_transfer",
                    "to": "嘉兴市公安局",
                    "reason": "涉嫌犯罪",
                    "transferred_on": "2025-12-05",
                },
            ),
        ],
        S.SUSPENDED: [
            HEARING_PATH[0],
            ("suspend", "leader", {"suspended_on": "2025-12-03", "reason": "当事人下落不明"}),
        ],
        S.DEMANDED: HEARING_PATH + UNPAID_PATH[:1],
        S.COURT: HEARING_PATH + UNPAID_PATH,
        S.CLOSED: HEARING_PATH + PAID_PATH[:2],
        S.ARCHIVED: HEARING_PATH + PAID_PATH,
    }
    path = detours.get(to, HEARING_PATH)
    for action, who, payload in path:
        if case.status == to:
            break
        case = step(team, case, action, who, payload)
    assert case.status == to, f"could not reach {to}, stopped at {case.status}"
    return case
