"""/api/v1/waterway: suspect vessels of the caller's jurisdiction, their verification and hand-over letters; a
vessel's register and code; the public check of a scanned vessel code. Thin: the work is in actions.py,
letters.py and vessels.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import Field, Query, Router, Schema

from jiafa.cases import rendering
from jiafa.core import jurisdiction
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import User
from jiafa.waterway import actions, findings, letters, vessels
from jiafa.waterway.models import Finding, Vessel
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
    letter_number: str
    letter_sha256: str | None
    case_id: int | None
    version: int


class FindingFilters(Schema):
    """The queue page's filters (findings.filtered); a value that can't be used: 422 invalid_input."""

    status: str = Field("", description="pending、confirmed、handed_over、dismissed 或 all；不填为全部")
    rule: str = Field("", description="检测规则，如 illegal_berthing")
    unit: str = Field("", description="机构代码：辖区内该单位及其下级单位")
    from_: str = Field("", alias="from", description="发现日期起（含，中国时间），YYYY-MM-DD")
    to: str = Field("", description="发现日期止（含），YYYY-MM-DD")
    vessel: str = Field("", description="船名（登记、AIS 或卡口识别）的一部分，或 9 位 MMSI")


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
        "letter_number": f.letter_number,
        "letter_sha256": f.letter_id,
        "case_id": f.case_id,
        "version": f.version,
    }


def _visible(user: User) -> Any:
    return findings.visible(user)


def _one(request: HttpRequest, finding_id: int) -> Finding:
    return jurisdiction.get_visible(_visible(_user(request)), _user(request), pk=finding_id)


@router.get("/findings", response=list[FindingOut], summary="辖区内的水网疑似违法线索（可筛选）")
def list_findings(
    request: HttpRequest, filters: Query[FindingFilters], limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    qs, asked = findings.filtered(_user(request), filters.model_dump(by_alias=True))
    if asked.errors:
        wrong = "；".join(f"参数 {key}：{message}" for key, message in asked.errors.items())
        raise JiafaError(ErrorCode.INVALID_INPUT, f"筛选条件有误。{wrong}")
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    return [_out(f) for f in qs[offset : offset + limit]]


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


@router.get(
    "/findings/{finding_id}/hand-over-letter",
    response={200: None},
    summary="移交函（Word 文件，签发时存证，每次下载相同）",
)
def hand_over_letter(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = _one(request, finding_id)
    frozen = letters.stored(finding)
    if not frozen.intact:
        raise JiafaError(
            ErrorCode.CONFLICT, "移交函文件与签发时的哈希值不符，已停止下载，请联系系统管理员核查证据存储"
        )
    response = HttpResponse(frozen.data, content_type=rendering.DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=letters.filename(finding)
    )
    response["X-Content-SHA256"] = frozen.sha256
    return response


# ── Vessels and their code ───────────────────────────────────────────────────────────────────────────


class CertificateOut(Schema):
    kind: str
    kind_label: str
    number: str
    valid_from: date
    valid_to: date


class MuckPermitOut(Schema):
    number: str
    loading_zone: str
    dumping_zone: str
    valid_from: date
    valid_to: date


class CodeOut(Schema):
    colour: str
    label: str
    reasons: list[str]
    on: date


class VesselOut(Schema):
    mmsi: int
    name: str
    kind: str
    kind_label: str
    owner_kind: str
    owner_name: str
    owner_id_no: str
    owner_phone: str
    org_unit: str
    certificates: list[CertificateOut]
    muck_permits: list[MuckPermitOut]
    code: CodeOut
    check_path: str


class CheckOut(Schema):
    vessel_name: str
    colour: str
    label: str
    on: date


@router.get("/vessels/{mmsi}", response=VesselOut, summary="船舶登记信息与船舶码（含理由）")
def get_vessel(request: HttpRequest, mmsi: int) -> dict[str, Any]:
    vessel = vessels.visible(_user(request)).filter(mmsi=mmsi).first()
    if vessel is None:
        raise JiafaError(ErrorCode.NOT_FOUND)
    today = timezone.localdate()
    code = vessels.code(vessel, today)
    return {
        "mmsi": vessel.mmsi,
        "name": vessel.name,
        "kind": vessel.kind,
        "kind_label": vessel.get_kind_display(),
        "owner_kind": vessel.owner_kind,
        "owner_name": vessel.owner_name,
        "owner_id_no": vessel.owner_id_no,
        "owner_phone": vessel.owner_phone,
        "org_unit": vessel.org_unit.code,
        "certificates": [
            {
                "kind": c.kind,
                "kind_label": c.get_kind_display(),
                "number": c.number,
                "valid_from": c.valid_from,
                "valid_to": c.valid_to,
            }
            for c in vessel.certificates.all()
        ],
        "muck_permits": [
            {
                "number": p.number,
                "loading_zone": p.loading_zone.code,
                "dumping_zone": p.dumping_zone.code,
                "valid_from": p.valid_from,
                "valid_to": p.valid_to,
            }
            for p in vessel.muck_permits.select_related("loading_zone", "dumping_zone")
        ],
        "code": {
            "colour": code.colour.value,
            "label": code.colour.label,
            "reasons": code.reasons,
            "on": today,
        },
        "check_path": f"/waterway/check/{vessels.check_token(vessel)}/",
    }


@router.get(
    "/check/{token}", response=CheckOut, auth=None, summary="公开核验船舶码（无需登录，只给颜色、船名和日期）"
)
def check(request: HttpRequest, token: str) -> dict[str, Any]:
    vessel: Vessel = vessels.vessel_of(token)
    today = timezone.localdate()
    colour = vessels.code(vessel, today).colour
    return {"vessel_name": vessel.name, "colour": colour.value, "label": colour.label, "on": today}
