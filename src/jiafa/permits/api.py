"""/api/v1/permits: the bridge check. Thin: the work is in jiafa.permits.rules."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from jiafa.core.roles import Perm, require
from jiafa.law.book import rulebook
from jiafa.permits import rules
from jiafa.permits.schemas import BridgeCheckIn, BridgeCheckOut

router = Router(tags=["大件运输许可"])


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
