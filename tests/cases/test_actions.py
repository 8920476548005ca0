"""The legal conditions of each step: bad input and premature steps are refused with the article, and a
refused step changes nothing (no status, no number, no event, no audit entry)."""

from __future__ import annotations

from typing import Any

import pytest

from jiafa.cases import actions, watch
from jiafa.cases.models import Case, CaseDocument
from jiafa.core import audit
from jiafa.core.errors import JiafaError
from jiafa.core.models import AuditEntry
from jiafa.core.roles import Role
from tests.cases.conftest import HEARING_PATH, TODAY, Team, advance, d, register, step
from tests.conftest import TONGXIANG

pytestmark = pytest.mark.django_db
S = actions.S


def refused(team: Team, case: Case, action: str, who: str, payload: dict[str, Any]) -> JiafaError:
    """Take a step that must be refused; check that nothing at all was written."""
    case.refresh_from_db()
    before = (
        case.status,
        case.version,
        case.events.count(),
        CaseDocument.objects.count(),
        AuditEntry.objects.count(),
    )
    with pytest.raises(JiafaError) as e:
        step(team, case, action, who, payload)
    case.refresh_from_db()
    after = (
        case.status,
        case.version,
        case.events.count(),
        CaseDocument.objects.count(),
        AuditEntry.objects.count(),
    )
    assert after == before
    return e.value


def test_filing_needs_two_certified_officers(team: Team):
    case = register(team, officers=[team.officer])
    e = refused(team, case, "file", "leader", {"filed_on": "2025-12-01"})
    assert e.code == "step_not_ready" and "第四十二条" in e.message


@pytest.mark.parametrize(
    ("filed_on", "message"), [("2025-11-19", "不能早于违法日期"), ("2026-09-16", "不能晚于今天")]
)
def test_filing_date_must_be_sensible(team: Team, filed_on, message):
    e = refused(team, register(team), "file", "leader", {"filed_on": filed_on})
    assert message in e.message


def test_filing_numbers_are_gapless_per_year_and_a_refusal_uses_none(team: Team):
    first = step(team, register(team), "file", "leader", {"filed_on": "2025-12-01"})
    refused(team, register(team, officers=[team.officer]), "file", "leader", {"filed_on": "2025-12-01"})
    second = step(team, register(team), "file", "leader", {"filed_on": "2025-12-02"})
    next_year = step(team, register(team), "file", "leader", {"filed_on": "2026-01-05"})
    assert [first.number, second.number, next_year.number] == [
        "嘉交执立〔2025〕第00001号",
        "嘉交执立〔2025〕第00002号",
        "嘉交执立〔2026〕第00001号",
    ]


def test_filing_sets_the_90_day_decision_deadline(team: Team):
    case = step(team, register(team), "file", "leader", {"filed_on": "2025-12-01"})
    # 90 days after 2025-12-01 is 2026-03-01, a Sunday: rolled to Monday 2026-03-02 (law.md §1).
    assert case.decision_due == d("2026-03-02")


def test_only_leaders_file_and_other_units_cannot_see_the_case(team: Team, make_user):
    case = register(team)
    e = refused(team, case, "file", "officer", {"filed_on": "2025-12-01"})
    assert e.code == "forbidden"
    team.outsider = make_user("tx_leader", TONGXIANG, Role.SQUADRON_LEADER)
    e = refused(team, case, "file", "outsider", {"filed_on": "2025-12-01"})
    assert e.code == "not_found"


def test_stale_version_is_a_conflict(team: Team):
    case = register(team)
    step(team, case, "file", "leader", {"filed_on": "2025-12-01"})
    e = refused(
        team,
        case,
        "add_record",
        "officer",
        {"version": 1, "kind": "inquiry_record", "made_on": "2025-12-02", "content": "x"},
    )
    assert e.code == "conflict"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"outcome": "penalty", "kinds": [], "fine_yuan": 0}, "须写明处罚种类"),
        ({"outcome": "penalty", "kinds": ["fine"], "fine_yuan": 0}, "须填写罚款金额"),
        ({"outcome": "penalty", "kinds": ["fine"], "fine_yuan": -5}, "罚款"),
        ({"outcome": "penalty", "kinds": ["flogging"], "fine_yuan": 0}, "处罚种类无效"),
        ({"outcome": "minor_exemption", "kinds": ["fine"], "fine_yuan": 200}, "不应写处罚种类或罚款"),
        ({"outcome": "acquit", "kinds": []}, "处理意见“acquit”无效"),
    ],
)
def test_bad_proposals_are_refused(team: Team, payload, message):
    case = advance(team, S.INVESTIGATING)
    assert message in refused(team, case, "conclude", "officer", payload).message


def over(kg: int) -> dict[str, Any]:
    return {"overload_kg": kg, "repeat_12m": 0, "corrected": False}


def conclude_fine(fine: int, kg: int) -> dict[str, Any]:
    return {"outcome": "penalty", "kinds": ["fine"], "fine_yuan": fine, "facts_for_tier": over(kg)}


def test_hearing_right_follows_the_fine_and_the_party(team: Team):
    person = step(team, advance(team, S.INVESTIGATING), "conclude", "officer", conclude_fine(10000, 20000))
    company = step(
        team,
        advance(team, S.INVESTIGATING, party_kind="organisation"),
        "conclude",
        "officer",
        conclude_fine(30000, 60000),
    )
    fleet = advance(team, S.INVESTIGATING, party_kind="organisation", violation_code="CX-06")
    suspension = step(
        team,
        fleet,
        "conclude",
        "officer",
        {
            "outcome": "penalty",
            "kinds": ["suspension_order"],
            "fine_yuan": 0,
            "facts_for_tier": {"overload_share_bp": 1500, "serious": False},
        },
    )
    assert (person.hearing_right, company.hearing_right, suspension.hearing_right) == (True, False, True)
    assert person.tier == "一般"


def test_the_fine_must_fit_the_discretion_tier(team: Team):
    case = advance(team, S.INVESTIGATING)
    e = refused(team, case, "conclude", "officer", conclude_fine(15000, 40000))
    assert e.code == "penalty_not_allowed" and "第四十三条" in e.message
    e = refused(team, case, "conclude", "officer", conclude_fine(20000, 40000) | {"facts_for_tier": {}})
    assert e.code == "violation_facts_invalid" and "超限重量" in e.message


def test_defence_window_is_five_working_days_with_a_hearing_right(team: Team):
    case = advance(team, S.NOTIFIED)
    # Notice served Wed 2025-12-10; five working days, start day not counted: 11, 12, 15, 16, 17.
    assert case.defence_until == d("2025-12-17")


def test_notice_is_only_for_a_proposed_penalty(team: Team):
    case = step(
        team,
        advance(team, S.INVESTIGATING),
        "conclude",
        "officer",
        {"outcome": "minor_exemption", "kinds": [], "fine_yuan": 0},
    )
    assert "无需告知" in refused(team, case, "notify", "officer", {"served_on": "2025-12-10"}).message


def test_hearing_request_after_the_window_is_refused(team: Team):
    case = advance(team, S.NOTIFIED)
    e = refused(team, case, "request_hearing", "officer", {"requested_on": "2025-12-18"})
    assert "2025-12-17" in e.message and "第六十四条" in e.message


def test_no_hearing_without_the_right(team: Team):
    case = step(
        team,
        advance(team, S.INVESTIGATING),
        "conclude",
        "officer",
        conclude_fine(2000, 4000),
    )
    case = step(team, case, "notify", "officer", {"served_on": "2025-12-10"})
    e = refused(team, case, "request_hearing", "officer", {"requested_on": "2025-12-11"})
    assert "第六十三条" in e.message


def test_hearing_chair_may_not_have_investigated_and_needs_seven_working_days_notice(team: Team):
    case = advance(team, S.HEARING)
    e = refused(
        team,
        case,
        "schedule_hearing",
        "leader",
        {"notice_on": "2025-12-15", "hearing_on": "2025-12-26", "chair": "hn_officer2"},
    )
    assert "调查人员" in e.message
    # Noticed Mon 2025-12-15: seven working days later is Wed 12-24, so the hearing may be held from 12-24.
    e = refused(
        team,
        case,
        "schedule_hearing",
        "leader",
        {"notice_on": "2025-12-15", "hearing_on": "2025-12-23", "chair": "fazhi"},
    )
    assert "最早 2025-12-24" in e.message
    ok = step(
        team,
        case,
        "schedule_hearing",
        "leader",
        {"notice_on": "2025-12-15", "hearing_on": "2025-12-24", "chair": "fazhi"},
    )
    assert ok.hearing_on == d("2025-12-24") and ok.hearing_chair == team.reviewer


def test_no_decision_before_the_defence_window_closes(team: Team, frozen_clock, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    case = advance(team, S.NOTIFIED)
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2025, 12, 16, 2, 0, tzinfo=dt.UTC))
    e = refused(team, case, "proceed", "officer", {})
    assert e.code == "step_not_ready" and "2025-12-17" in e.message
    assert step(team, case, "proceed", "officer", {"waived": True}).status == S.REVIEWING


def test_decision_may_not_be_heavier_than_the_notice(team: Team):
    case = advance(team, S.PENDING_DECISION)
    base = {"decided_on": "2026-01-08", "outcome": "penalty"}
    e = refused(team, case, "decide", "leader", base | {"kinds": ["fine"], "fine_yuan": 20500})
    assert "第四十五条" in e.message
    e = refused(
        team, case, "decide", "leader", base | {"kinds": ["fine", "suspension_order"], "fine_yuan": 20000}
    )
    assert "超出告知内容" in e.message
    # Lighter is allowed only within the tier; for weight overloads the law fixes the amount per tonne.
    e = refused(team, case, "decide", "leader", base | {"kinds": ["fine"], "fine_yuan": 15000})
    assert e.code == "penalty_not_allowed"


def test_decision_after_the_deadline_needs_an_extension(team: Team):
    case = advance(team, S.PENDING_DECISION)
    late = {"decided_on": "2026-03-05", "outcome": "penalty", "kinds": ["fine"], "fine_yuan": 20000}
    e = refused(team, case, "decide", "leader", late)
    assert "2026-03-02" in e.message and "第六十条" in e.message
    case = step(team, case, "extend", "boss", {"days": 10, "reason": "听证后补充鉴定"})
    assert case.decision_due == d("2026-03-12")
    assert step(team, case, "decide", "leader", late).status == S.DECIDED


def test_extension_is_capped(team: Team):
    case = advance(team, S.INVESTIGATING)
    step(team, case, "extend", "boss", {"days": 30, "reason": "案情复杂"})
    assert "最多延长 30 日" in refused(team, case, "extend", "boss", {"days": 1, "reason": "再延"}).message


def test_suspension_days_move_the_decision_deadline(team: Team):
    case = advance(team, S.SUSPENDED)  # filed 2025-12-01, suspended 2025-12-03
    case = step(team, case, "resume", "leader", {"resumed_on": "2025-12-13"})
    assert case.decision_due == d("2026-03-12")  # 2026-03-02 + 10 days suspended


def test_first_violation_exemption_only_where_the_catalogue_allows_it(team: Team):
    payload = {"outcome": "first_violation_exemption", "kinds": [], "facts_for_tier": over(4000)}
    e = refused(team, advance(team, S.INVESTIGATING), "conclude", "officer", payload)
    assert "不符合首违不罚条件" in e.message and "第三十三条" in e.message


def test_first_violation_exemption_needs_the_commitment_letter(team: Team):
    case = step(
        team,
        advance(team, S.INVESTIGATING),
        "conclude",
        "officer",
        {
            "outcome": "first_violation_exemption",
            "kinds": [],
            "fine_yuan": 0,
            "facts_for_tier": {"overload_kg": 800, "repeat_12m": 0, "corrected": True},
        },
    )
    payload = {"decided_on": "2025-12-08", "outcome": "first_violation_exemption", "kinds": []}
    assert "承诺书" in refused(team, case, "decide", "leader", payload).message
    done = step(team, case, "decide", "leader", payload | {"commitment_letter": True})
    assert done.documents.filter(kind="no_penalty_decision").get().number == "嘉交执不罚〔2025〕第00001号"


def test_a_penalty_needs_a_notice_first(team: Team):
    case = advance(team, S.PROPOSED)
    e = refused(
        team,
        case,
        "decide",
        "leader",
        {"decided_on": "2025-12-08", "outcome": "penalty", "kinds": ["fine"], "fine_yuan": 20000},
    )
    assert "第四十四条" in e.message


def test_payment_must_match_the_late_fee_owed(team: Team):
    case = advance(team, S.EXECUTING)
    assert case.payment_due == d("2026-01-26")  # served Fri 01-09 + 15 days = Sat 01-24, rolled to Mon 01-26
    e = refused(
        team,
        case,
        "pay",
        "officer",
        {"paid_on": "2026-01-28", "fine_yuan": 20000, "late_fee_yuan": 0, "receipt_no": "P1"},
    )
    assert "加处罚款 1200 元" in e.message and "第七十二条" in e.message  # 2 days × 3% × 20,000
    paid = step(
        team,
        case,
        "pay",
        "officer",
        {"paid_on": "2026-01-28", "fine_yuan": 20000, "late_fee_yuan": 1200, "receipt_no": "P1"},
    )
    assert (paid.paid_yuan, paid.late_fee_paid_yuan, paid.fine_outstanding_yuan) == (20000, 1200, 0)


def test_demand_only_after_the_payment_date(team: Team):
    case = advance(team, S.EXECUTING)
    assert "届满后才能催告" in refused(team, case, "demand", "officer", {"served_on": "2026-01-26"}).message


def test_court_application_waits_for_the_remedy_periods(team: Team, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 7, 1, 2, 0, tzinfo=dt.UTC))
    case = advance(team, S.DEMANDED)
    e = refused(team, case, "apply_court", "leader", {"applied_on": "2026-06-30"})
    # Served 2026-01-09: the 6-month lawsuit period ends 2026-07-09, so the earliest application is 07-10.
    assert "最早可于 2026-07-10" in e.message and "第五十三条" in e.message


def test_court_application_deadline(team: Team, monkeypatch):
    import datetime as dt

    from django.utils import timezone

    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 11, 20, 2, 0, tzinfo=dt.UTC))
    case = advance(team, S.DEMANDED)
    e = refused(team, case, "apply_court", "leader", {"applied_on": "2026-11-19"})
    assert "申请期限已于 2026-10-09 届满" in e.message


def test_no_closing_with_a_fine_outstanding(team: Team):
    case = advance(team, S.EXECUTING)
    assert "未缴" in refused(team, case, "close", "leader", {"closed_on": "2026-01-20"}).message


@pytest.mark.parametrize(
    ("party_kind", "violation", "kinds", "fine", "ok"),
    [
        ("person", "DY-01", ["fine"], 200, True),
        ("person", "DY-01", ["fine"], 201, False),
        ("organisation", "WY-02", ["warning", "fine"], 3000, True),
        ("organisation", "WY-02", ["warning", "fine"], 3001, False),
    ],
)
def test_summary_procedure_limits(team: Team, party_kind, violation, kinds, fine, ok):
    case = register(team, party_kind=party_kind, violation_code=violation)
    payload = {
        "decided_on": "2025-11-20",
        "kinds": kinds,
        "fine_yuan": fine,
        "facts_for_tier": {"repeat_12m": 0},
    }
    if ok:
        done = step(team, case, "summary_decide", "officer", payload)
        assert done.number == "嘉交执罚〔2025〕第00001号" and done.procedure == "summary"
        assert done.payment_due == d("2025-12-05")
    else:
        assert "第五十一条" in refused(team, case, "summary_decide", "officer", payload).message


def test_a_whole_case_paid_late_keeps_an_intact_audit_chain_and_one_timeline(team: Team):
    case = advance(team, S.EXECUTING)
    case = step(
        team,
        case,
        "pay",
        "officer",
        {"paid_on": "2026-02-05", "fine_yuan": 20000, "late_fee_yuan": 6000, "receipt_no": "P7"},
    )
    case = step(team, case, "close", "leader", {"closed_on": "2026-02-06", "summary": "罚款及加处罚款已缴清"})
    case = step(team, case, "archive", "leader", {})
    assert case.status == S.ARCHIVED
    kinds = [e.kind for e in case.events.exclude(kind="document")]
    assert kinds == ["register"] + [a for a, *_ in HEARING_PATH] + ["pay", "close", "archive"]
    numbered = dict(case.documents.exclude(number="").values_list("kind", "number"))
    assert numbered == {
        "filing_form": "嘉交执立〔2025〕第00001号",
        "notice": "嘉交执告〔2025〕第00001号",
        "hearing_notice": "嘉交执听〔2025〕第00001号",
        "decision": "嘉交执罚〔2026〕第00001号",
    }
    assert audit.verify().ok
    assert AuditEntry.objects.filter(object_id=str(case.pk), action__startswith="case.").count() == 14


def test_deadline_watch_flags_overdue_cases(team: Team):
    case = advance(team, S.INVESTIGATING)  # decision due 2026-03-02, TODAY is 2026-09-15
    [w] = watch.deadlines(case, TODAY)
    assert (w.label, w.due, w.overdue, w.days_over) == ("作出决定期限", d("2026-03-02"), True, 197)
    assert Case.objects.filter(watch.overdue_q(TODAY)).get() == case
    assert not Case.objects.filter(watch.overdue_q(d("2026-03-02"))).exists()


def test_a_case_discovered_after_the_limitation_period_is_refused(team: Team):
    import datetime as dt

    with pytest.raises(JiafaError) as e:
        register(team, occurred_at=dt.datetime(2024, 9, 14, 2, 0, tzinfo=dt.UTC))
    assert "追责时效已于 2026-09-14 届满" in e.value.message and "第三十六条" in e.value.message
    assert not Case.objects.exists()
    assert register(team, occurred_at=dt.datetime(2024, 9, 15, 2, 0, tzinfo=dt.UTC)).pk
    assert register(team, occurred_at=dt.datetime(2022, 1, 5, 2, 0, tzinfo=dt.UTC), serious_harm=True).pk


def test_instalments_split_the_fine_and_each_is_late_on_its_own(team: Team):
    case = advance(team, S.EXECUTING)  # ¥20,000 due 2026-01-26
    case = step(
        team,
        case,
        "approve_deferral",
        "boss",
        {"new_due": "2026-02-28", "instalments": 3, "reason": "经营困难，申请分三期缴纳"},
    )
    assert case.instalments == [
        {"due": "2026-02-28", "yuan": 6668},
        {"due": "2026-03-28", "yuan": 6666},
        {"due": "2026-04-28", "yuan": 6666},
    ]
    assert case.payment_due == d("2026-02-28")
    case = step(
        team,
        case,
        "pay",
        "officer",
        {"paid_on": "2026-02-27", "fine_yuan": 6668, "late_fee_yuan": 0, "receipt_no": "P1"},
    )
    assert case.payment_due == d("2026-03-28")
    # The second instalment paid two days late: 2 × 3% × 6,666 = 399.96 → ¥399 (whole yuan, never more).
    assert (
        "加处罚款 399 元"
        in refused(
            team,
            case,
            "pay",
            "officer",
            {"paid_on": "2026-03-30", "fine_yuan": 6666, "late_fee_yuan": 0, "receipt_no": "P2"},
        ).message
    )
    case = step(
        team,
        case,
        "pay",
        "officer",
        {"paid_on": "2026-03-30", "fine_yuan": 6666, "late_fee_yuan": 399, "receipt_no": "P2"},
    )
    case = step(
        team,
        case,
        "pay",
        "officer",
        {"paid_on": "2026-04-20", "fine_yuan": 6666, "late_fee_yuan": 0, "receipt_no": "P3"},
    )
    assert (case.fine_outstanding_yuan, case.late_fee_paid_yuan) == (0, 399)
    assert step(team, case, "close", "leader", {"closed_on": "2026-04-21"}).status == S.CLOSED


def test_instalments_are_capped_by_the_rulebook(team: Team):
    case = advance(team, S.EXECUTING)
    e = refused(
        team, case, "approve_deferral", "boss", {"new_due": "2026-02-28", "instalments": 13, "reason": "困难"}
    )
    assert "1 到 12" in e.message


def test_evidence_is_attached_to_an_open_case_only(team: Team):
    import io

    case = advance(team, S.REGISTERED)
    upload = {
        "title": "称重单",
        "kind": "document",
        "original_name": "w.pdf",
        "content_type": "application/pdf",
    }
    with pytest.raises(JiafaError) as e:
        actions.attach_evidence(case.pk, io.BytesIO(b"%PDF weigh"), actor=team.officer, **upload)
    assert "已立案" in e.value.message
    case = step(team, case, "file", "leader", {"filed_on": "2025-12-01"})
    item = actions.attach_evidence(case.pk, io.BytesIO(b"%PDF weigh"), actor=team.officer, **upload)
    assert list(actions.case_evidence(case)) == [item]
    assert item.org_unit == case.org_unit
    assert case.events.filter(kind="evidence").get().note == "书证/文书：称重单"
