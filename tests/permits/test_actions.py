"""The permit lifecycle on the demo bridge register: automatic check, decisions, reinforcement, history."""

from dataclasses import replace
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import AuditEntry
from jiafa.core.roles import Role
from jiafa.permits import actions
from jiafa.permits.actions import ApplicationInput, Proposal
from jiafa.permits.models import Bridge, PermitApplication
from jiafa.permits.states import PermitStatus
from jiafa.simulate.world import roads
from tests.conftest import BUREAU, HAINING, TONGXIANG

pytestmark = pytest.mark.django_db
FRIDAY = date(2024, 9, 27)  # National Day 2024 follows: make-up working days 29 September and 12 October
NET = roads()
SIX_AXLES = ApplicationInput(
    applicant_name="嘉兴重型设备运输有限公司",
    applicant_credit_code="91330400MA2B000001",
    contact_phone="0573-82000000",
    tractor_plate="浙F12345",
    trailer_plate="浙F6789挂",
    axle_loads_kn=[60, 110, 110, 110, 110, 110],  # 610 kN: 62.2 t, over the 49 t of six axles
    axle_spacings_m=[3.2, 1.4, 6.0, 1.4, 1.4],
    gross_kg=62200,
    height_m=4.0,
    width_m=2.9,
    length_m=18.0,
    cargo="变压器",
    origin_name="嘉兴港",
    origin=NET["G60"].points[0],
    destination_name="海盐",
    destination=NET["G92"].points[-1],
    travel_from=date(2024, 10, 8),
    travel_to=date(2024, 10, 20),
)
HEAVY = replace(
    SIX_AXLES, axle_loads_kn=[60, 110, 110, *[150] * 6], axle_spacings_m=[3.2, 1.4, 6.0, *[1.5] * 5]
)
HEAVY = replace(HEAVY, gross_kg=round(sum(HEAVY.axle_loads_kn) / 0.00980665))


@pytest.fixture
def staff(org, make_user):
    actions.load_demo_bridges(org[BUREAU])
    return {
        "officer": make_user("hn_officer", HAINING, Role.OFFICER),
        "leader": make_user("hn_leader", HAINING, Role.SQUADRON_LEADER),
        "other": make_user("tx_leader", TONGXIANG, Role.SQUADRON_LEADER),
        "unit": org[HAINING],
    }


def apply(staff, data=SIX_AXLES):
    return actions.apply(data, actor=staff["officer"], unit=staff["unit"], today=FRIDAY)


def test_demo_register_holds_the_210_bridges_once(staff, org):
    assert Bridge.objects.count() == 210
    assert actions.load_demo_bridges(org[BUREAU]) == 0


def test_apply_routes_checks_and_counts_the_time_limit(staff):
    app = apply(staff)
    assert app.status == PermitStatus.UNDER_REVIEW
    assert app.permit_class == "medium"  # overweight for six axles: the second class, 5 working days
    assert app.due_on == date(2024, 10, 10)
    result = app.check_result
    assert result["route"]["roads"] and all(b["passes"] for b in result["route"]["bridges"])
    assert app.proposal == Proposal.APPROVE_WITH_CONDITIONS and app.conditions["escort"] is True
    assert all(a["why_not"] for a in result["alternatives"])
    [event] = app.events.all()
    assert event.kind == "apply" and "建议附条件许可" in event.note and "2024-10-10" in event.note
    assert AuditEntry.objects.filter(action="permit.apply", object_id=str(app.pk)).exists()


def test_approve_gives_a_gapless_number_and_the_history(staff):
    app = apply(staff)
    window = {"time_window": "22:00-06:00"}
    approved = actions.approve(app.pk, actor=staff["leader"], today=FRIDAY, conditions=window, version=1)
    assert approved.status == PermitStatus.APPROVED and approved.number == "嘉交执超限许〔2024〕第00001号"
    assert approved.conditions["time_window"] == "22:00-06:00" and approved.conditions["escort"] is True
    second = actions.approve(apply(staff).pk, actor=staff["leader"], today=FRIDAY)
    assert second.number == "嘉交执超限许〔2024〕第00002号"
    actions.suspend(app.pk, actor=staff["leader"], reasons="护送车辆未到位", today=FRIDAY)
    actions.resume(app.pk, actor=staff["leader"], note="护送已落实")
    actions.revoke(app.pk, actor=staff["leader"], reasons="申请人隐瞒货物实际重量", today=FRIDAY)
    app.refresh_from_db()
    assert app.status == PermitStatus.REVOKED and app.version == 5
    assert [e.kind for e in app.events.all()] == ["apply", "approve", "suspend", "resume", "revoke"]
    assert [e.status_to for e in app.events.all()][-1] == "revoked"


def test_no_passable_route_goes_to_the_engineer_before_any_approval(staff):
    app = apply(staff, HEAVY)
    assert app.status == PermitStatus.REFERRED and app.proposal == Proposal.REFER
    assert app.check_result["route"] is None and "不通过" in app.check_result["alternatives"][0]["why_not"]
    with pytest.raises(JiafaError) as e:
        actions.approve(app.pk, actor=staff["leader"], today=FRIDAY)
    assert e.value.code is ErrorCode.ILLEGAL_STEP  # referred: decide only after the engineer
    actions.assess(
        app.pk, actor=staff["leader"], opinion="经荷载试验可单车居中低速通过", conditions={"escort": True}
    )
    approved = actions.approve(app.pk, actor=staff["leader"], today=FRIDAY)
    assert approved.status == PermitStatus.APPROVED and approved.conditions["escort"] is True


def test_reinforcement_time_is_not_counted(staff):
    app = apply(staff, HEAVY)
    actions.start_reinforcement(
        app.pk, actor=staff["leader"], on=date(2024, 9, 30), note="QL0091 粘贴钢板加固"
    )
    actions.finish_reinforcement(app.pk, actor=staff["leader"], on=date(2024, 10, 10))
    app.refresh_from_db()
    # 123 t: the third class, 15 working days, due 23 October. In (30 Sep, 10 Oct] the working days are 8, 9
    # and 10 October: three more, 24, 25 and 28 October.
    assert app.permit_class == "large"
    assert app.status == PermitStatus.UNDER_REVIEW and app.excluded_working_days == 3
    assert app.due_on == date(2024, 10, 28)
    with pytest.raises(JiafaError) as e:  # the check found no route: an engineer must assess first
        actions.approve(app.pk, actor=staff["leader"], today=FRIDAY)
    assert e.value.code is ErrorCode.STEP_NOT_READY


def test_reject_needs_reasons(staff):
    app = apply(staff)
    with pytest.raises(JiafaError) as e:
        actions.reject(app.pk, actor=staff["leader"], reasons=" ", today=FRIDAY)
    assert e.value.code is ErrorCode.PERMIT_INPUT_INVALID and "理由" in e.value.message
    actions.reject(app.pk, actor=staff["leader"], reasons="货物可解体", today=FRIDAY)
    app.refresh_from_db()
    assert app.status == PermitStatus.REJECTED and app.reasons == "货物可解体" and app.decided_on == FRIDAY


def test_amend_rechecks_and_keeps_the_day_of_acceptance(staff):
    app = apply(staff)
    amended = actions.amend(app.pk, HEAVY, actor=staff["officer"], today=date(2024, 9, 30), version=1)
    assert amended.status == PermitStatus.REFERRED and amended.accepted_on == FRIDAY
    # Now over 100 t: the third class, 15 working days from the same acceptance.
    assert amended.due_on == date(2024, 10, 23) and amended.gross_kg == HEAVY.gross_kg


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"axle_spacings_m": [3.2, 1.4]}, "应有 5 个轴距"),
        ({"axle_loads_kn": [60, 110, 110, 110, 110, -110]}, "第 6 轴轴荷"),
        ({"travel_from": date(2024, 9, 26)}, "早于今天"),
        ({"travel_to": date(2024, 10, 7)}, "通行截止日"),
        ({"gross_kg": 40000}, "相差超过"),
        ({"width_m": -3.0}, "总宽度"),
        ({"applicant_name": "  "}, "申请人"),
    ],
)
def test_bad_applications_are_refused_and_leave_nothing(staff, change, words):
    with pytest.raises(JiafaError) as e:
        apply(staff, replace(SIX_AXLES, **change))
    assert e.value.code in {ErrorCode.PERMIT_INPUT_INVALID, ErrorCode.AXLE_LAYOUT_INVALID}
    assert words in e.value.message
    assert (
        not PermitApplication.objects.exists()
        and not AuditEntry.objects.filter(action="permit.apply").exists()
    )


def test_roles_versions_and_jurisdiction(staff):
    app = apply(staff)
    with pytest.raises(JiafaError) as e:
        actions.approve(app.pk, actor=staff["officer"], today=FRIDAY)
    assert e.value.code is ErrorCode.FORBIDDEN
    with pytest.raises(JiafaError) as e:
        actions.approve(app.pk, actor=staff["other"], today=FRIDAY)
    assert e.value.code is ErrorCode.NOT_FOUND
    with pytest.raises(JiafaError) as e:
        actions.refer(app.pk, actor=staff["officer"], note="需复核", version=7)
    assert e.value.code is ErrorCode.CONFLICT
    with pytest.raises(JiafaError) as e:
        actions.apply(SIX_AXLES, actor=staff["other"], unit=staff["unit"], today=FRIDAY)
    assert e.value.code in {ErrorCode.FORBIDDEN, ErrorCode.NOT_FOUND}


def test_bridge_data_is_validated_before_it_is_saved(staff):
    bridge = Bridge.objects.get(code="QL0001")
    bridge.full_clean()
    for field, value, words in (
        ("road_code", "G999", "没有路线"),
        ("road_leg", 40, "只有"),
        ("spans_m", [20, -5], "计算跨径"),
        ("spans_m", "20", "计算跨径"),
    ):
        original = getattr(bridge, field)
        setattr(bridge, field, value)
        with pytest.raises(ValidationError) as e:
            bridge.full_clean()
        assert words in str(e.value)
        setattr(bridge, field, original)
