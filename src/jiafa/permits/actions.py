"""The use cases of oversize transport permits: accept an application and check it automatically (route,
every bridge on it and the alternatives), then the steps of the transition table in states.py. One
transaction each, with the history event and the audit entry inside it. Input is validated completely before
anything is written: a refused application leaves nothing behind.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

from django.db import transaction

from jiafa.core import audit, jurisdiction, numbering
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import OrgUnit, User
from jiafa.core.roles import Perm, require
from jiafa.law import overload, schedules
from jiafa.law.book import rulebook
from jiafa.law.calendar import NoScheduleError
from jiafa.law.ruledata import RuleBook
from jiafa.permits import demo, routing, rules
from jiafa.permits.models import Bridge, Inspection, PermitApplication, PermitEvent
from jiafa.permits.states import PermitStatus, Transition, transition
from jiafa.simulate.world import roads

S = PermitStatus
KN_PER_KG = 9.80665 / 1000
# How far the declared gross may stray from the sum of the declared axle loads: a typing error beyond it.
GROSS_TOLERANCE = 0.05


class Proposal:
    """What the automatic check proposes (自动校核建议)."""

    APPROVE = "approve"  # 建议准予许可
    APPROVE_WITH_CONDITIONS = "approve_with_conditions"  # 建议附条件许可
    REFER = "refer"  # 无可通行路线，转桥梁工程师评定

    LABELS = {APPROVE: "建议准予许可", APPROVE_WITH_CONDITIONS: "建议附条件许可", REFER: "转桥梁工程师评定"}


@dataclass(frozen=True)
class ApplicationInput:
    """An application as submitted (申请书): the company, the vehicle with its axle layout, the load, dates,
    origin and destination."""

    applicant_name: str
    applicant_credit_code: str
    contact_phone: str
    tractor_plate: str
    axle_loads_kn: list[float]
    axle_spacings_m: list[float]
    gross_kg: int
    height_m: float
    width_m: float
    length_m: float
    cargo: str
    origin_name: str
    origin: tuple[float, float]  # (lat, lon)
    destination_name: str
    destination: tuple[float, float]
    travel_from: date
    travel_to: date
    trailer_plate: str = ""
    combination: bool = True
    cross_province: bool = False

    def validated(self, book: RuleBook, today: date) -> tuple[rules.Vehicle, rules.Dimensions]:
        """The vehicle and its load as the rules see them, or a refusal naming what to correct."""
        for value, label in (
            (self.applicant_name, "申请人"),
            (self.applicant_credit_code, "统一社会信用代码"),
            (self.contact_phone, "联系电话"),
            (self.tractor_plate, "号牌"),
            (self.cargo, "货物名称"),
            (self.origin_name, "起点"),
            (self.destination_name, "终点"),
        ):
            if not value.strip():
                raise JiafaError(ErrorCode.PERMIT_INPUT_INVALID, f"请填写{label}")
        if self.travel_from < today:
            raise JiafaError(
                ErrorCode.PERMIT_INPUT_INVALID,
                f"通行起始日 {self.travel_from.isoformat()} 早于今天 {today.isoformat()}，请核对通行日期",
            )
        if self.travel_to < self.travel_from:
            raise JiafaError(ErrorCode.PERMIT_INPUT_INVALID, "通行截止日不能早于通行起始日")
        vehicle = rules.Vehicle.of(self.axle_loads_kn, self.axle_spacings_m)
        declared_kn = self.gross_kg * KN_PER_KG
        if abs(vehicle.gross_kn - declared_kn) > GROSS_TOLERANCE * declared_kn:
            raise JiafaError(
                ErrorCode.PERMIT_INPUT_INVALID,
                f"各轴轴荷合计 {vehicle.gross_kn:.1f} kN（约 {vehicle.gross_kn / KN_PER_KG:.0f} 千克）"
                f"与申报的车货总质量 {self.gross_kg} 千克相差超过 {GROSS_TOLERANCE:.0%}，请核对",
            )
        within = _within_weight_limits(len(self.axle_loads_kn), self.combination, self.gross_kg, book, today)
        load = rules.Dimensions(self.height_m, self.width_m, self.length_m, self.gross_kg, within)
        return vehicle, load


def _within_weight_limits(axles: int, combination: bool, gross_kg: int, book: RuleBook, on: date) -> bool:
    """Whether the gross weight is within the Art. 3 limit for the axle count (the first Art. 15 class)."""
    if not overload.MIN_AXLES <= axles <= overload.MAX_AXLES:
        return False  # beyond the axle counts the limits name: an oversize vehicle by construction
    try:
        vehicle = overload.Vehicle(axles, combination)
    except JiafaError as e:
        raise JiafaError(ErrorCode.PERMIT_INPUT_INVALID, e.message) from e
    return gross_kg <= int(book.value(vehicle.limit_key, on=on))


# ── The automatic check ──────────────────────────────────────────────────────────────────────────────


@cache
def _network() -> routing.Network:
    return routing.Network.from_roads(roads())


def bridge_sites(book: RuleBook, on: date) -> list[routing.BridgeSite]:
    """The bridge register as routing sees it."""
    network = roads()
    sites = []
    for b in Bridge.objects.values(*_SITE_FIELDS):  # the register's columns routing needs, not its rows
        points = network[b["road_code"]].points
        design_load, _ = rules.resolve_design_load(b["design_load"], book, on)
        lengths = sorted({float(s) for s in b["spans_m"]})
        ratio = float(b["red_line_ratio"])
        sites.append(
            routing.BridgeSite(
                code=b["code"],
                name=b["name"],
                segment=(points[b["road_leg"]], points[b["road_leg"] + 1]),
                spans=tuple(rules.Span(length, design_load, ratio) for length in lengths),
                condition_grade=b["condition_grade"],
                max_width_m=float(b["max_width_m"]) if b["max_width_m"] is not None else None,
                max_height_m=float(b["max_height_m"]) if b["max_height_m"] is not None else None,
                speed_limit_kmh=b["speed_limit_kmh"],
                escort_required=b["escort_required"],
                single_vehicle=b["single_vehicle"],
            )
        )
    return sites


_SITE_FIELDS = (
    "code",
    "name",
    "road_code",
    "road_leg",
    "design_load",
    "spans_m",
    "red_line_ratio",
    "condition_grade",
    "max_width_m",
    "max_height_m",
    "speed_limit_kmh",
    "escort_required",
    "single_vehicle",
)


@dataclass(frozen=True)
class Checked:
    plan: routing.RoutePlan
    proposal: str
    time_limit: rules.TimeLimit

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.plan.as_dict(),
            "proposal": self.proposal,
            "proposal_label": Proposal.LABELS[self.proposal],
            "permit_class": str(self.time_limit.permit_class),
            "time_limit": self.time_limit.explanation,
        }


def automatic_check(
    data: ApplicationInput, *, today: date, accepted_on: date | None = None, excluded_working_days: int = 0
) -> Checked:
    """Validate, class the load, count the time limit, route the vehicle and check every bridge."""
    book = rulebook()
    vehicle, load = data.validated(book, today)
    permit_class, _ = rules.permit_class(load, book, today)
    time_limit = rules.decision_due(
        accepted_on or today,
        permit_class,
        data.cross_province,
        schedules.calendar(),
        book,
        excluded_working_days=excluded_working_days,
    )
    penalty = {int(k): float(v) for k, v in book.value("permit.route.grade_penalty_km", on=today).items()}
    plan = routing.plan(
        _network(),
        bridge_sites(book, today),
        vehicle,
        routing.Size(width_m=data.width_m, height_m=data.height_m),
        data.origin,
        data.destination,
        rules.LaneLoad.in_force(book, today),
        penalty,
    )
    if plan.route is None:
        proposal = Proposal.REFER
    else:
        proposal = Proposal.APPROVE_WITH_CONDITIONS if plan.conditions.any else Proposal.APPROVE
    return Checked(plan, proposal, time_limit)


def _fields(data: ApplicationInput, checked: Checked) -> dict[str, Any]:
    return {
        "applicant_name": data.applicant_name.strip(),
        "applicant_credit_code": data.applicant_credit_code.strip(),
        "contact_phone": data.contact_phone.strip(),
        "tractor_plate": data.tractor_plate.strip(),
        "trailer_plate": data.trailer_plate.strip(),
        "axles": len(data.axle_loads_kn),
        "combination": data.combination,
        "axle_loads_kn": list(data.axle_loads_kn),
        "axle_spacings_m": list(data.axle_spacings_m),
        "gross_kg": data.gross_kg,
        "height_m": round(data.height_m, 2),
        "width_m": round(data.width_m, 2),
        "length_m": round(data.length_m, 2),
        "cargo": data.cargo.strip(),
        "origin_name": data.origin_name.strip(),
        "origin_lat": data.origin[0],
        "origin_lon": data.origin[1],
        "destination_name": data.destination_name.strip(),
        "destination_lat": data.destination[0],
        "destination_lon": data.destination[1],
        "cross_province": data.cross_province,
        "travel_from": data.travel_from,
        "travel_to": data.travel_to,
        "permit_class": str(checked.time_limit.permit_class),
        "due_on": checked.time_limit.due,
        "check_result": checked.as_dict(),
        "proposal": checked.proposal,
        "conditions": checked.plan.conditions.as_dict() if checked.plan.route else {},
    }


def _status_after_check(checked: Checked) -> PermitStatus:
    return S.UNDER_REVIEW if checked.plan.route is not None else S.REFERRED


def _event(app: PermitApplication, kind: str, actor: User, status_from: str, note: str, **data: Any) -> None:
    PermitEvent.objects.create(
        application=app,
        kind=kind,
        actor=actor,
        status_from=status_from,
        status_to=app.status,
        note=note,
        data=json.loads(json.dumps(data, ensure_ascii=False, default=str)),
    )


def apply(
    data: ApplicationInput, *, actor: User, unit: OrgUnit, today: date, ip: str | None = None
) -> PermitApplication:
    """Accept an application (受理) in one of the actor's units and check it automatically."""
    row = transition("apply", None)
    require(actor, row.perm)
    jurisdiction.require_unit(actor, unit)
    checked = automatic_check(data, today=today)
    with transaction.atomic():
        app = PermitApplication.objects.create(
            org_unit=unit,
            status=_status_after_check(checked),
            accepted_on=today,
            created_by=actor,
            **_fields(data, checked),
        )
        note = f"{Proposal.LABELS[checked.proposal]}；{checked.time_limit.explanation}"
        _event(app, "apply", actor, "", note, proposal=checked.proposal)
        audit.record("permit.apply", actor=actor, obj=app, ip=ip, detail={"to": app.status})
    return app


# ── The steps of the table ───────────────────────────────────────────────────────────────────────────


@dataclass
class _Step:
    app: PermitApplication
    row: Transition
    status_from: str
    target: PermitStatus
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)


@contextmanager
def _step(app_id: int, action: str, *, actor: User, version: int | None, ip: str | None) -> Iterator[_Step]:
    with transaction.atomic():
        app = jurisdiction.get_visible(PermitApplication.objects.select_for_update(), actor, pk=app_id)
        if version is not None and app.version != version:
            raise JiafaError(ErrorCode.CONFLICT, "申请已被他人更新，请刷新页面后再操作")
        row = transition(action, app.status)
        require(actor, row.perm)
        step = _Step(app, row, app.status, next(iter(row.targets)))
        yield step
        if step.target not in row.targets:
            raise AssertionError(f"{action} may not lead to {step.target}")
        app.status = step.target
        app.version += 1
        app.save()
        _event(app, action, actor, step.status_from, step.note, **step.data)
        audit.record(
            f"permit.{action}",
            actor=actor,
            obj=app,
            ip=ip,
            detail={"from": step.status_from, "to": app.status, **step.data},
        )


def _required(text: str, what: str) -> str:
    if not text.strip():
        raise JiafaError(ErrorCode.PERMIT_INPUT_INVALID, f"请填写{what}")
    return text.strip()


def amend(
    app_id: int,
    data: ApplicationInput,
    *,
    actor: User,
    today: date,
    version: int | None = None,
    ip: str | None = None,
) -> PermitApplication:
    """Change the application (or a granted permit) and check it again; the time limit still runs from the
    day of acceptance, with the reinforcement time already excluded."""
    app = jurisdiction.get_visible(PermitApplication.objects.all(), actor, pk=app_id)
    checked = automatic_check(
        data, today=today, accepted_on=app.accepted_on, excluded_working_days=app.excluded_working_days
    )
    with _step(app_id, "amend", actor=actor, version=version, ip=ip) as step:
        for name, value in _fields(data, checked).items():
            setattr(step.app, name, value)
        step.target = _status_after_check(checked)
        step.note = Proposal.LABELS[checked.proposal]
        step.data = {"proposal": checked.proposal}
    return step.app


def refer(app_id: int, *, actor: User, note: str, version: int | None = None, ip: str | None = None) -> None:
    with _step(app_id, "refer", actor=actor, version=version, ip=ip) as step:
        step.note = _required(note, "转评定的原因")


def assess(
    app_id: int,
    *,
    actor: User,
    opinion: str,
    conditions: dict[str, Any] | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> None:
    """The bridge engineer's opinion (桥梁工程师评定意见): the application goes back to review, with any
    conditions the engineer sets added to the permit's."""
    with _step(app_id, "assess", actor=actor, version=version, ip=ip) as step:
        step.note = _required(opinion, "桥梁工程师评定意见")
        if conditions:
            step.app.conditions = {**step.app.conditions, **conditions}
            step.data = {"conditions": conditions}


def start_reinforcement(
    app_id: int, *, actor: User, on: date, note: str, version: int | None = None, ip: str | None = None
) -> None:
    """Bridge reinforcement (加固、改造) starts: its time is not counted in the time limit (Art. 15)."""
    with _step(app_id, "start_reinforcement", actor=actor, version=version, ip=ip) as step:
        if on < step.app.accepted_on:
            raise JiafaError(ErrorCode.PERMIT_INPUT_INVALID, "加固改造开始日不能早于受理日")
        step.app.reinforcement_from = on
        step.note = _required(note, "加固改造的桥梁和措施")


def finish_reinforcement(
    app_id: int, *, actor: User, on: date, version: int | None = None, ip: str | None = None
) -> None:
    with _step(app_id, "finish_reinforcement", actor=actor, version=version, ip=ip) as step:
        app = step.app
        assert app.reinforcement_from is not None  # set when the status was entered
        if on < app.reinforcement_from:
            raise JiafaError(ErrorCode.PERMIT_INPUT_INVALID, "加固改造完成日不能早于开始日")
        calendar = schedules.calendar()
        try:
            spent = calendar.working_days_between(app.reinforcement_from, on)
        except NoScheduleError as e:
            raise JiafaError(ErrorCode.NO_SCHEDULE, str(e)) from e
        app.excluded_working_days += spent
        limit = rules.decision_due(
            app.accepted_on,
            rules.PermitClass(app.permit_class),
            app.cross_province,
            calendar,
            rulebook(),
            excluded_working_days=app.excluded_working_days,
        )
        app.due_on, app.reinforcement_from = limit.due, None
        step.note = limit.explanation
        step.data = {"excluded_working_days": spent}


def approve(
    app_id: int,
    *,
    actor: User,
    today: date,
    conditions: dict[str, Any] | None = None,
    version: int | None = None,
    ip: str | None = None,
) -> PermitApplication:
    """Grant the permit (准予许可) with the route's conditions and any the decision adds (护送、限速、
    单车过桥、通行时段); it takes a number from the bureau's gapless sequence."""
    with _step(app_id, "approve", actor=actor, version=version, ip=ip) as step:
        app = step.app
        assessed = app.events.filter(kind="assess").exists()
        if app.check_result.get("route") is None and not assessed:
            raise JiafaError(ErrorCode.STEP_NOT_READY, "自动校核没有可通行路线，须经桥梁工程师评定后方可许可")
        app.conditions = {**app.conditions, **(conditions or {})}
        app.decided_on = today
        app.number = numbering.next_number(app.org_unit, "oversize_permit", "超限许", today.year)
        app.verify_code = secrets.token_urlsafe(18)
        step.note = f"许可证号 {app.number}"
        step.data = {"number": app.number, "conditions": app.conditions}
    return step.app


def _closing(action: str, what: str) -> Callable[..., None]:
    def act(
        app_id: int,
        *,
        actor: User,
        reasons: str,
        today: date,
        version: int | None = None,
        ip: str | None = None,
    ) -> None:
        with _step(app_id, action, actor=actor, version=version, ip=ip) as step:
            step.note = _required(reasons, what)
            if action == "reject":
                step.app.reasons, step.app.decided_on = step.note, today

    act.__name__ = action
    return act


reject = _closing("reject", "不予许可的理由")
suspend = _closing("suspend", "中止许可的理由")
revoke = _closing("revoke", "撤销许可的理由")


def resume(app_id: int, *, actor: User, note: str, version: int | None = None, ip: str | None = None) -> None:
    with _step(app_id, "resume", actor=actor, version=version, ip=ip) as step:
        step.note = _required(note, "恢复许可的理由")


def perform(
    action: str,
    app_id: int,
    *,
    actor: User,
    today: date,
    version: int | None = None,
    note: str = "",
    reasons: str = "",
    opinion: str = "",
    conditions: dict[str, Any] | None = None,
    on: date | None = None,
    ip: str | None = None,
) -> None:
    """One step of the table by its name, with the fields it takes (the API and the pages call this)."""
    common: dict[str, Any] = {"actor": actor, "version": version, "ip": ip}
    steps: dict[str, Callable[[], object]] = {
        "refer": lambda: refer(app_id, note=note, **common),
        "assess": lambda: assess(app_id, opinion=opinion, conditions=conditions, **common),
        "start_reinforcement": lambda: start_reinforcement(app_id, on=on or today, note=note, **common),
        "finish_reinforcement": lambda: finish_reinforcement(app_id, on=on or today, **common),
        "approve": lambda: approve(app_id, today=today, conditions=conditions, **common),
        "reject": lambda: reject(app_id, reasons=reasons, today=today, **common),
        "suspend": lambda: suspend(app_id, reasons=reasons, today=today, **common),
        "resume": lambda: resume(app_id, note=note, **common),
        "revoke": lambda: revoke(app_id, reasons=reasons, today=today, **common),
    }
    step = steps.get(action)
    if step is None:
        raise JiafaError(ErrorCode.NOT_FOUND, f"没有“{action}”这一许可步骤")
    step()


# ── The bridge register ──────────────────────────────────────────────────────────────────────────────


def record_inspection(
    code: str,
    *,
    actor: User,
    today: date,
    inspected_on: date,
    kind: str,
    condition_grade: int,
    red_line_ratio: float | None = None,
    findings: str = "",
    inspector: str = "",
    version: int | None = None,
    ip: str | None = None,
) -> Inspection:
    """An inspection or load test: kept in the bridge's history, and its grade (and red line, when the
    inspection assessed one) become the bridge's for every check from now on."""
    require(actor, Perm.BRIDGE_EDIT)
    if kind not in Inspection.Kind.values:
        raise JiafaError(ErrorCode.BRIDGE_DATA_INVALID, f"检测类别应为：{'、'.join(Inspection.Kind.values)}")
    if not 1 <= condition_grade <= 5:
        raise JiafaError(ErrorCode.BRIDGE_DATA_INVALID, f"技术状况等级应为 1 至 5 类，收到 {condition_grade}")
    if inspected_on > today:
        raise JiafaError(ErrorCode.BRIDGE_DATA_INVALID, "检测日期不能晚于今天")
    if red_line_ratio is not None and not 0 < red_line_ratio <= rules.MAX_RED_LINE_RATIO:
        raise JiafaError(
            ErrorCode.BRIDGE_DATA_INVALID, f"荷载红线比值应大于 0 且不超过 {rules.MAX_RED_LINE_RATIO:g}"
        )
    with transaction.atomic():
        bridge = Bridge.objects.select_for_update().filter(code=code).first()
        if bridge is None:
            raise JiafaError(ErrorCode.NOT_FOUND, f"没有桥梁 {code}")
        if version is not None and bridge.version != version:
            raise JiafaError(ErrorCode.CONFLICT, "桥梁数据已被他人更新，请刷新后再操作")
        inspection = Inspection.objects.create(
            bridge=bridge,
            inspected_on=inspected_on,
            kind=kind,
            condition_grade=condition_grade,
            red_line_ratio=red_line_ratio,
            findings=findings.strip(),
            inspector=inspector.strip(),
        )
        latest = bridge.inspections.order_by("-inspected_on", "-id").first()
        before = {"condition_grade": bridge.condition_grade, "red_line_ratio": str(bridge.red_line_ratio)}
        if latest == inspection:  # an older inspection entered late does not overrule a newer one
            bridge.condition_grade = condition_grade
            if red_line_ratio is not None:
                bridge.red_line_ratio = Decimal(str(red_line_ratio))
        bridge.version += 1
        bridge.save()
        audit.record(
            "bridge.inspect",
            actor=actor,
            obj=bridge,
            ip=ip,
            detail={
                "inspection": inspection.pk,
                "before": before,
                "after": {
                    "condition_grade": bridge.condition_grade,
                    "red_line_ratio": str(bridge.red_line_ratio),
                },
            },
        )
    return inspection


# ── The demo's bridge register ───────────────────────────────────────────────────────────────────────


def load_demo_bridges(unit: OrgUnit, *, seed: int = demo.SEED) -> int:
    """The demo's key control bridges into the register under `unit`; existing codes are left alone."""
    structures = {label: value for value, label in Bridge._meta.get_field("structure").choices or []}
    existing = set(Bridge.objects.values_list("code", flat=True))
    new = [
        Bridge(
            code=b.code,
            name=b.name,
            org_unit=unit,
            road_code=b.road,
            road_leg=b.leg,
            road_position=b.fraction,
            lat=b.lat,
            lon=b.lon,
            structure=structures[b.structure],
            spans_m=list(b.spans_m),
            design_load=b.design_load,
            condition_grade=b.condition_grade,
            red_line_ratio=b.red_line_ratio,
            max_width_m=b.max_width_m,
            max_height_m=b.max_height_m,
            speed_limit_kmh=b.speed_limit_kmh,
            escort_required=b.escort_required,
            single_vehicle=b.single_vehicle,
        )
        for b in demo.bridges(seed)
        if b.code not in existing
    ]
    Bridge.objects.bulk_create(new)
    return len(new)
