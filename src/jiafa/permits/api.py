"""/api/v1/permits: the bridge check, the bridge register and permit applications. Thin: the work is in
rules.py (the check) and actions.py (the lifecycle)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Status

from jiafa.core import audit, jurisdiction
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import OrgUnit, User
from jiafa.core.roles import Perm, can, require
from jiafa.law.book import rulebook
from jiafa.permits import actions, rules
from jiafa.permits.models import Bridge, PermitApplication
from jiafa.permits.schemas import (
    AmendIn,
    ApplicationDetailOut,
    ApplicationIn,
    ApplicationOut,
    BridgeCheckIn,
    BridgeCheckOut,
    BridgeDetailOut,
    BridgeOut,
    InspectionIn,
    StepIn,
)
from jiafa.permits.states import TRANSITIONS, PermitStatus

router = Router(tags=["大件运输许可"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.post(
    "/bridge-check",
    response=BridgeCheckOut,
    summary="桥梁荷载校核：车辆轴荷在各简支跨上的最大弯矩、剪力与公路-I/II级设计效应及荷载红线比较",
)
def bridge_check(request: HttpRequest, body: BridgeCheckIn) -> dict[str, Any]:
    require(request.user, Perm.PERMIT_VIEW)
    today, book = timezone.localdate(), rulebook()
    vehicle = rules.Vehicle.of(body.vehicle.axle_loads_kn, body.vehicle.axle_spacings_m)
    basis: dict[tuple[str, str], dict[str, str]] = {}
    spans = []
    for bridge in body.bridges:
        design_load, mapping = rules.resolve_design_load(bridge.design_load, book, today)
        if mapping is not None:
            basis[(mapping.law, mapping.article)] = mapping.basis
        spans.append(rules.Span(bridge.span_m, design_load, bridge.red_line_ratio))
    lane = rules.LaneLoad.in_force(book, today)
    results = rules.check(vehicle, spans, lane)
    for rule_basis in lane.basis:
        basis[(rule_basis["law"], rule_basis["article"])] = rule_basis
    return {
        "passes": all(r.passes for r in results),
        "gross_kn": vehicle.gross_kn,
        "bridges": [r.as_dict() for r in results],
        "basis": list(basis.values()),
    }


@router.get("/bridges", response=list[BridgeOut], summary="桥梁承载能力数据库（重点控制桥梁及荷载红线）")
def bridges(request: HttpRequest) -> QuerySet[Bridge]:
    require(request.user, Perm.PERMIT_VIEW)
    return Bridge.objects.all()


def _bridge(code: str) -> Bridge:
    bridge = Bridge.objects.filter(code=code).first()
    if bridge is None:
        raise JiafaError(ErrorCode.NOT_FOUND, f"没有桥梁 {code}")
    return bridge


@router.get("/bridges/{code}", response=BridgeDetailOut, summary="一座桥梁及其检测记录")
def bridge_detail(request: HttpRequest, code: str) -> Bridge:
    require(request.user, Perm.PERMIT_VIEW)
    return _bridge(code)


@router.post(
    "/bridges/{code}/inspections",
    response={201: BridgeDetailOut},
    summary="登记检测或荷载试验：其技术状况等级与荷载红线此后用于校核",
)
def add_inspection(request: HttpRequest, code: str, body: InspectionIn) -> Status[Bridge]:
    actions.record_inspection(
        code, actor=_user(request), today=timezone.localdate(), ip=audit.client_ip(request), **body.dict()
    )
    return Status(201, _bridge(code))


# ── Applications ─────────────────────────────────────────────────────────────────────────────────────


def _input(body: ApplicationIn) -> actions.ApplicationInput:
    return actions.ApplicationInput(
        applicant_name=body.applicant_name,
        applicant_credit_code=body.applicant_credit_code,
        contact_phone=body.contact_phone,
        tractor_plate=body.tractor_plate,
        trailer_plate=body.trailer_plate,
        combination=body.combination,
        axle_loads_kn=body.vehicle.axle_loads_kn,
        axle_spacings_m=body.vehicle.axle_spacings_m,
        gross_kg=body.gross_kg,
        height_m=body.height_m,
        width_m=body.width_m,
        length_m=body.length_m,
        cargo=body.cargo,
        origin_name=body.origin.name,
        origin=(body.origin.lat, body.origin.lon),
        destination_name=body.destination.name,
        destination=(body.destination.lat, body.destination.lon),
        travel_from=body.travel_from,
        travel_to=body.travel_to,
        cross_province=body.cross_province,
    )


def _out(app: PermitApplication) -> dict[str, Any]:
    return {
        **{f: getattr(app, f) for f in ApplicationOut.model_fields if hasattr(app, f) and f != "org_unit"},
        "status_label": PermitStatus(app.status).label,
        "org_unit": app.org_unit.code,
    }


def _detail(app: PermitApplication, user: User) -> dict[str, Any]:
    return {
        **_out(app),
        "axle_loads_kn": app.axle_loads_kn,
        "axle_spacings_m": app.axle_spacings_m,
        "check_result": app.check_result,
        "events": [
            {
                "kind": e.kind,
                "at": e.at,
                "actor": e.actor.get_username(),
                "status_from": e.status_from,
                "status_to": e.status_to,
                "note": e.note,
            }
            for e in app.events.select_related("actor")
        ],
        "allowed_actions": [t.action for t in TRANSITIONS if app.status in t.sources and can(user, t.perm)],
    }


def _visible(user: User) -> QuerySet[PermitApplication]:
    require(user, Perm.PERMIT_VIEW)
    return jurisdiction.visible(PermitApplication.objects.select_related("org_unit"), user)


@router.get("/applications", response=list[ApplicationOut], summary="辖区内的大件运输许可申请（审查队列）")
def list_applications(
    request: HttpRequest, status: PermitStatus | None = None, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    qs = _visible(_user(request)).order_by("due_on", "id")
    if status:
        qs = qs.filter(status=status)
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    return [_out(a) for a in qs[offset : offset + limit]]


@router.post("/applications", response={201: ApplicationDetailOut}, summary="受理申请并自动校核路线与桥梁")
def create_application(request: HttpRequest, body: ApplicationIn) -> Status[dict[str, Any]]:
    user = _user(request)
    unit = user.org_unit
    if body.org_unit:
        unit = OrgUnit.objects.filter(code=body.org_unit).first()
        if unit is None:
            raise JiafaError(ErrorCode.NOT_FOUND, f"没有单位 {body.org_unit}")
    assert unit is not None
    app = actions.apply(
        _input(body), actor=user, unit=unit, today=timezone.localdate(), ip=audit.client_ip(request)
    )
    return Status(201, _detail(app, user))


@router.get("/applications/{app_id}", response=ApplicationDetailOut, summary="一件申请：校核结果、期限、历史")
def get_application(request: HttpRequest, app_id: int) -> dict[str, Any]:
    user = _user(request)
    return _detail(jurisdiction.get_visible(_visible(user), user, pk=app_id), user)


@router.post("/applications/{app_id}/amend", response=ApplicationDetailOut, summary="变更申请并重新校核")
def amend_application(request: HttpRequest, app_id: int, body: AmendIn) -> dict[str, Any]:
    user = _user(request)
    app = actions.amend(
        app_id,
        _input(body),
        actor=user,
        today=timezone.localdate(),
        version=body.version,
        ip=audit.client_ip(request),
    )
    return _detail(app, user)


@router.post(
    "/applications/{app_id}/actions/{action}",
    response=ApplicationDetailOut,
    summary="办理一步：转评定、评定、加固、许可、不予许可、中止、恢复、撤销（不允许时返回 409）",
)
def act(request: HttpRequest, app_id: int, action: str, body: StepIn) -> dict[str, Any]:
    actions.perform(
        action,
        app_id,
        actor=_user(request),
        today=timezone.localdate(),
        ip=audit.client_ip(request),
        **body.dict(),
    )
    return get_application(request, app_id)
