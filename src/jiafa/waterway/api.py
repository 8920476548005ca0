"""/api/v1/waterway: suspect vessels of the caller's jurisdiction and their verification. Thin: the work is in
actions.py."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from jiafa.core import jurisdiction
from jiafa.core.models import User
from jiafa.core.roles import Perm, require
from jiafa.waterway import actions
from jiafa.waterway.models import Finding
from jiafa.waterway.rules import Rule

router = Router(tags=["水网睿控"])


class FindingOut(Schema):
    id: int
    rule: str
    rule_label: str
    status: str
    status_label: str
    mmsi: int
    vessel_name: str
    org_unit: str
    start: datetime
    end: datetime
    lat: float | None
    lon: float | None
    zone: str | None
    checkpoint: str | None
    value: float | None
    threshold: float | None
    ais_name: str
    seen_name: str
    record_id: str
    photo_sha256: str
    basis: list[dict[str, str]]
    track: list[list[Any]]
    evidence_sha256: str
    check_note: str
    dismiss_reason: str
    handed_over_to: str
    case_id: int | None
    version: int


class ConfirmIn(Schema):
    check_note: str
    version: int | None = None


class HandOverIn(Schema):
    to: str
    check_note: str
    version: int | None = None


class DismissIn(Schema):
    reason: str
    version: int | None = None


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def _out(f: Finding) -> dict[str, Any]:
    return {
        "id": f.pk,
        "rule": f.rule,
        "rule_label": Rule(f.rule).label,
        "status": f.status,
        "status_label": f.get_status_display(),
        "mmsi": f.mmsi,
        "vessel_name": f.vessel.name if f.vessel else "",
        "org_unit": f.org_unit.code,
        "start": f.start,
        "end": f.end,
        "lat": f.lat,
        "lon": f.lon,
        "zone": f.zone.code if f.zone else None,
        "checkpoint": f.checkpoint.code if f.checkpoint else None,
        "value": f.value,
        "threshold": f.threshold,
        "ais_name": f.ais_name,
        "seen_name": f.seen_name,
        "record_id": f.record_id,
        "photo_sha256": f.photo,
        "basis": f.basis,
        "track": f.track,
        "evidence_sha256": f.evidence_id or "",
        "check_note": f.check_note,
        "dismiss_reason": f.dismiss_reason,
        "handed_over_to": f.handed_over_to,
        "case_id": f.case_id,
        "version": f.version,
    }


def _visible(user: User) -> Any:
    require(user, Perm.WATERWAY_VIEW)
    qs = Finding.objects.select_related("vessel", "org_unit", "zone", "checkpoint")
    return jurisdiction.visible(qs, user)


def _one(request: HttpRequest, finding_id: int) -> Finding:
    return jurisdiction.get_visible(_visible(_user(request)), _user(request), pk=finding_id)


@router.get("/findings", response=list[FindingOut], summary="辖区内的水网疑似违法线索")
def list_findings(
    request: HttpRequest, status: str | None = None, rule: str | None = None, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    qs = _visible(_user(request))
    if status:
        qs = qs.filter(status=status)
    if rule:
        qs = qs.filter(rule=rule)
    limit = max(1, min(limit, 500))
    return [_out(f) for f in qs.order_by("-start", "-id")[max(offset, 0) : max(offset, 0) + limit]]


@router.get("/findings/{finding_id}", response=FindingOut, summary="一条线索")
def get_finding(request: HttpRequest, finding_id: int) -> dict[str, Any]:
    return _out(_one(request, finding_id))


@router.post("/findings/{finding_id}/confirm", response=FindingOut, summary="核查确认：登记水网案源")
def confirm(request: HttpRequest, finding_id: int, body: ConfirmIn) -> dict[str, Any]:
    finding = _one(request, finding_id)
    actions.confirm(finding, actor=_user(request), check_note=body.check_note, version=body.version)
    return _out(_one(request, finding_id))


@router.post("/findings/{finding_id}/hand-over", response=FindingOut, summary="核查后移交其他部门")
def hand_over(request: HttpRequest, finding_id: int, body: HandOverIn) -> dict[str, Any]:
    finding = _one(request, finding_id)
    actions.hand_over(
        finding, actor=_user(request), to=body.to, check_note=body.check_note, version=body.version
    )
    return _out(_one(request, finding_id))


@router.post("/findings/{finding_id}/dismiss", response=FindingOut, summary="核查排除（须写明理由）")
def dismiss(request: HttpRequest, finding_id: int, body: DismissIn) -> dict[str, Any]:
    finding = _one(request, finding_id)
    actions.dismiss(finding, actor=_user(request), reason=body.reason, version=body.version)
    return _out(_one(request, finding_id))
