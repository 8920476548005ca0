"""A small known year for the report tests, built through the real case actions: ordinary cases with and
without a hearing, non-site cases of one company, a first-violation exemption, a criminal transfer, a
suspension order, a court application, a summary-procedure case, a case of another county, one decided the
year before and one left overdue; and findings at two stations (rows, as in the overload tests)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from jiafa.cases import actions
from jiafa.cases.models import Case
from jiafa.core.models import User
from jiafa.core.roles import Role
from jiafa.overload.models import Finding
from tests.cases.conftest import HEARING_PATH, UNPAID_PATH
from tests.conftest import BUREAU, HAINING, TONGXIANG
from tests.overload import factories

YEAR = 2026
COMPANY = {
    "party_kind": "organisation",
    "party_name": "嘉兴某某物流有限公司",
    "party_id_no": "91330400MA2B123456",
}


class Desk:
    """The people of one county who register, file, review and decide its cases."""

    def __init__(self, make_user: Callable[..., User], unit: str, prefix: str) -> None:
        self.officer = make_user(f"{prefix}_officer1", unit, Role.OFFICER)
        self.partner = make_user(f"{prefix}_officer2", unit, Role.OFFICER)
        self.leader = make_user(f"{prefix}_leader", unit, Role.SQUADRON_LEADER)
        # HEARING_PATH names its chair "fazhi": the first desk's legal reviewer.
        self.reviewer = make_user(
            "fazhi" if prefix == "hn" else f"{prefix}_fazhi", "330400-ZFD", Role.LEGAL_REVIEWER
        )
        self.boss = make_user(f"{prefix}_boss", BUREAU, Role.BUREAU_LEADER)
        for i, u in enumerate((self.officer, self.partner, self.leader), start=1):
            u.certificate_no = f"{prefix}{i:03d}"
            u.save()

    def register(self, *, occurred: str, **over: Any) -> Case:
        fields: dict[str, Any] = {
            "source": "inspection",
            "violation_code": "CX-01",
            "occurred_at": dt.datetime.fromisoformat(occurred + "T10:00:00+08:00"),
            "place": "G60 沪昆高速嘉兴段 K98",
            "facts": "六轴货车超限运输。",
            "party_kind": "person",
            "party_name": "张三",
            "party_id_no": "330402198001011234",
            "vehicle_plate": "浙F12345",
            "officers": [self.officer, self.partner],
        }
        return actions.register(actor=self.officer, **(fields | over))

    def run(self, case: Case, path: list[tuple[str, str, dict[str, Any]]]) -> Case:
        for action, who, payload in path:
            case = actions.perform(action, case.pk, payload, actor=getattr(self, who))
        return case

    def fined(self, *, occurred: str, filed: str, decided: str, kg: int, **over: Any) -> Case:
        """The ordinary procedure without a hearing: a fine of ¥500 per whole tonne over."""
        fine = kg // 1000 * 500
        facts = {"overload_kg": kg, "repeat_12m": 0, "corrected": False}
        return self.run(
            self.register(occurred=occurred, **over),
            [
                ("file", "leader", {"filed_on": filed}),
                (
                    "conclude",
                    "officer",
                    {"outcome": "penalty", "kinds": ["fine"], "fine_yuan": fine, "facts_for_tier": facts},
                ),
                ("notify", "officer", {"served_on": filed}),
                ("proceed", "officer", {"waived": True}),
                ("legal_review", "reviewer", {"opinion": "事实清楚，证据确凿，适用依据正确，程序合法。"}),
                (
                    "decide",
                    "leader",
                    {"decided_on": decided, "outcome": "penalty", "kinds": ["fine"], "fine_yuan": fine},
                ),
            ],
        )


@dataclass
class World:
    haining: Desk
    tongxiang: Desk
    cases: dict[str, Case] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)


def build(make_user: Callable[..., User], org: dict[str, Any]) -> World:
    hn, tx = Desk(make_user, HAINING, "hn"), Desk(make_user, TONGXIANG, "tx")
    w = World(hn, tx)
    c = w.cases
    # Decided 2026-01-08 after a hearing, ¥20,000 (a large fine); one of them goes on to court.
    c["hearing"] = hn.run(hn.register(occurred="2025-11-20"), HEARING_PATH)
    c["court"] = hn.run(
        hn.register(occurred="2025-11-20", vehicle_plate="浙F22222"), HEARING_PATH + UNPAID_PATH
    )
    # Non-site cases of one company in February and March, and one of a person.
    for key, month in (("ns1", "02"), ("ns2", "03")):
        c[key] = hn.fined(
            occurred=f"2026-{month}-02",
            filed=f"2026-{month}-04",
            decided=f"2026-{month}-20",
            kg=5000,
            source="non_site",
            vehicle_plate="浙F33333",
            **COMPANY,
        )
    c["ns3"] = hn.fined(
        occurred="2026-03-05", filed="2026-03-09", decided="2026-03-25", kg=7000, source="non_site"
    )
    # First violation, corrected: no penalty with a commitment letter.
    fv = hn.register(occurred="2026-04-01")
    c["first"] = hn.run(
        fv,
        [
            ("file", "leader", {"filed_on": "2026-04-02"}),
            (
                "conclude",
                "officer",
                {
                    "outcome": "first_violation_exemption",
                    "kinds": [],
                    "fine_yuan": 0,
                    "facts_for_tier": {"overload_kg": 800, "repeat_12m": 0, "corrected": True},
                },
            ),
            (
                "decide",
                "leader",
                {
                    "decided_on": "2026-04-10",
                    "outcome": "first_violation_exemption",
                    "kinds": [],
                    "commitment_letter": True,
                },
            ),
        ],
    )
    c["criminal"] = hn.run(
        hn.register(occurred="2026-04-12"),
        [
            ("file", "leader", {"filed_on": "2026-04-13"}),
            (
                "transfer",
                "leader",
                {
                    "outcome": "criminal_transfer",
                    "to": "嘉兴市公安局",
                    "reason": "涉嫌犯罪",
                    "transferred_on": "2026-04-15",
                },
            ),
        ],
    )
    # A company suspended for rectification (一超四罚, CX-06): hearing right, review and discussion.
    share = {"overload_share_bp": 1500, "serious": False}
    c["suspension"] = hn.run(
        hn.register(occurred="2026-05-04", violation_code="CX-06", vehicle_plate="", **COMPANY),
        [
            ("file", "leader", {"filed_on": "2026-05-06"}),
            (
                "conclude",
                "officer",
                {
                    "outcome": "penalty",
                    "kinds": ["suspension_order"],
                    "fine_yuan": 0,
                    "facts_for_tier": share,
                },
            ),
            ("notify", "officer", {"served_on": "2026-05-07"}),
            ("proceed", "officer", {"waived": True}),
            ("legal_review", "reviewer", {"opinion": "同意"}),
            (
                "collective_discussion",
                "boss",
                {"held_on": "2026-05-20", "participants": "局长、副局长", "conclusion": "同意责令停业整顿"},
            ),
            (
                "decide",
                "leader",
                {
                    "decided_on": "2026-05-21",
                    "outcome": "penalty",
                    "kinds": ["suspension_order"],
                    "fine_yuan": 0,
                },
            ),
        ],
    )
    summary = {"kinds": ["fine"], "fine_yuan": 200, "facts_for_tier": {"repeat_12m": 0}}
    c["summary"] = hn.run(
        hn.register(occurred="2026-06-03", violation_code="DY-01"),
        [("summary_decide", "officer", summary | {"decided_on": "2026-06-03"})],
    )
    c["last_year"] = hn.run(
        hn.register(occurred="2025-11-20", violation_code="DY-01"),
        [("summary_decide", "officer", summary | {"decided_on": "2025-11-20"})],
    )
    c["overdue"] = hn.run(
        hn.register(occurred="2026-05-01"), [("file", "leader", {"filed_on": "2026-05-02"})]
    )
    c["tongxiang"] = tx.fined(
        occurred="2026-03-01",
        filed="2026-03-02",
        decided="2026-03-10",
        kg=4000,
        source="non_site",
        place="S12 申嘉湖高速桐乡段",
    )
    # Findings: a vehicle passing twice (a repeat offender), a 百吨王, one at a Tongxiang station.
    at = lambda text: dt.datetime.fromisoformat(text + "+08:00")  # noqa: E731
    s1 = factories.station(org[HAINING], "HN-01", lat=30.51, lon=120.68)
    s2 = factories.station(org[TONGXIANG], "TX-01", lat=30.63, lon=120.56)
    w.findings = [
        factories.finding(s1, "浙F33333", at("2026-02-01T09:00"), rate="0.2000"),
        factories.finding(s1, "浙F33333", at("2026-03-01T09:00"), rate="0.6000"),
        factories.finding(s1, "浙F44444", at("2026-03-15T23:30"), rate="1.1000", hundred_tonne=True, axles=6),
        factories.finding(
            s1, "浙F55555", at("2025-12-31T23:30"), rate="0.0500", status=Finding.Status.PENDING
        ),
        factories.finding(
            s2, "浙F66666", at("2026-04-01T10:00"), rate="0.3000", status=Finding.Status.DISMISSED
        ),
    ]
    # The party of the hearing case applied for review (upheld); the person of ns3 sued and won.
    reviewer = hn.reviewer
    review = actions.record_remedy(
        c["hearing"].pk, actor=reviewer, kind="review", filed_on=dt.date(2026, 2, 1), body="嘉兴市人民政府"
    )
    actions.remedy_result(review.pk, actor=reviewer, result="upheld", decided_on=dt.date(2026, 4, 1))
    suit = actions.record_remedy(
        c["ns3"].pk, actor=reviewer, kind="lawsuit", filed_on=dt.date(2026, 4, 10), body="海宁市人民法院"
    )
    actions.remedy_result(suit.pk, actor=reviewer, result="revoked", decided_on=dt.date(2026, 7, 1))
    for case in c.values():
        case.refresh_from_db()
    return w
