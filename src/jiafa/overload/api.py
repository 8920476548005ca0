"""/api/v1/overload: the legal determination for one weighing, the stations' record push, findings and their
review, and the non-site bulk filing. Thin: the work is in jiafa.law.overload, the pipeline and review.py."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router

from jiafa.core import audit, jurisdiction
from jiafa.core.api import StationAuth
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import User
from jiafa.core.roles import Perm, require
from jiafa.law import catalogue, overload
from jiafa.law.book import rulebook
from jiafa.overload import packs, review
from jiafa.overload.models import Finding, WimStation
from jiafa.overload.pipeline import ingest_frame
from jiafa.overload.schemas import (
    AssessIn,
    AssessmentOut,
    BulkReviewIn,
    BulkReviewOut,
    ConfirmIn,
    ConfirmRef,
    DismissIn,
    FileCasesIn,
    FilingOut,
    FindingFilters,
    FindingOut,
    IngestOut,
    records_frame,
    records_openapi,
)

router = Router(tags=["非现场治超"])


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@router.post("/assess", response=AssessmentOut, summary="单车超限认定：限值、超限量、超限率、处罚与依据")
def assess(request: HttpRequest, body: AssessIn) -> dict[str, Any]:
    today = timezone.localdate()
    measured_on = body.measured_on or today
    if measured_on > today:
        raise JiafaError(ErrorCode.MEASURED_IN_FUTURE)
    vehicle = overload.Vehicle(body.axles, body.combination, body.single_drive_axle)
    return overload.assess(vehicle, body.gross_kg, body.measurement, rulebook(), measured_on).as_dict()


# ── The stations' push ────────────────────────────────────────────────────────────────────────────────


@router.post(
    "/records",
    response=IngestOut,
    summary="站点推送动态称重记录（每批最多 5000 条；按 record_id 幂等）",
    description='站点接入账号以访问令牌推送 `{"records": [...]}`，字段同称重记录格式，照片与视频为 SHA-256。'
    "JSON 类型不符时整批拒收（422）；类型正确但不能作为证据的记录（字段缺失或格式错误、站点检定过期、"
    "车牌置信度低等）照常保存，按原因计入 rejected。同一记录重复推送不会重复入库，计入 duplicates。",
    openapi_extra=records_openapi(),
    auth=StationAuth(),
)
def push_records(request: HttpRequest) -> dict[str, Any]:
    user = _user(request)
    require(user, Perm.WIM_PUSH)
    try:
        body = request.body
    except RequestDataTooBig as e:
        raise JiafaError(ErrorCode.INVALID_INPUT, "请求体过大，请减少每批记录数后分批推送") from e
    frame = records_frame(body)
    _check_stations(user, frame["station_id"].drop_nulls().unique().to_list())
    name = f"{user.username} {timezone.localtime():%Y-%m-%d %H:%M:%S.%f} {frame.height}条"
    batch = ingest_frame(frame, source="stream", name=name, actor=user)
    return {
        "batch": batch.pk,
        "records": batch.records,
        "accepted": batch.accepted,
        "duplicates": batch.duplicates,
        "rejected": batch.rejected,
    }


def _check_stations(user: User, codes: list[str]) -> None:
    """A station account pushes for the stations of its own unit's jurisdiction only; an unknown code is
    refused the same way, so the answer does not tell which codes exist elsewhere."""
    known = set(
        jurisdiction.visible(WimStation.objects.filter(code__in=codes), user).values_list("code", flat=True)
    )
    foreign = sorted(set(codes) - known)
    if foreign:
        shown = "、".join(foreign[:5]) + ("等" if len(foreign) > 5 else "")
        raise JiafaError(ErrorCode.FORBIDDEN, f"本账号无权推送以下站点的记录：{shown}")


# ── Findings (疑似违法线索) ──────────────────────────────────────────────────────────────────────────────


def finding_out(f: Finding, names: dict[date, str] | None = None) -> dict[str, Any]:
    """A finding as the API shows it; `names` caches the rule's name per day over a list."""
    day = timezone.localtime(f.passed_at).date()
    names = {} if names is None else names
    if day not in names:
        names[day] = _rule_name(day)
    return {
        "id": f.pk,
        "rule": review.VIOLATION_CODE,
        "rule_name": names[day],
        "status": f.status,
        "status_label": f.get_status_display(),
        "version": f.version,
        "record_id": f.record_id,
        "record_ids": f.record_ids,
        "station": f.station.code,
        "station_name": f.station.name,
        "org_unit": f.org_unit.short_name,
        "passed_at": f.passed_at,
        "plate": f.plate,
        "plate_color": f.plate_color,
        "axles": f.axles,
        "gross_kg": f.gross_kg,
        "limit_kg": f.limit_kg,
        "tolerance_kg": f.tolerance_kg,
        "overload_kg": f.overload_kg,
        "overload_rate": float(f.overload_rate),
        "outcome": f.outcome,
        "fine_yuan": f.fine_yuan,
        "hundred_tonne": f.hundred_tonne,
        "serious": f.serious,
        "basis": f.basis,
        "evidence_sha256": packs.sha256(f) or None,
        "reviewed_by": f.reviewed_by.username if f.reviewed_by else None,
        "reviewed_at": f.reviewed_at,
        "dismiss_reason": f.dismiss_reason,
        "case_id": f.case_id,
        "case_number": f.case.number if f.case else None,
    }


def _rule_name(day: date) -> str:
    """The catalogue's name of the rule on the day of the passing; blank when the catalogue lacks it, which
    must not make the findings unreadable."""
    try:
        return catalogue.current(review.VIOLATION_CODE, on=day).name
    except JiafaError:
        return ""


def filter_findings(qs: QuerySet[Finding], f: FindingFilters) -> QuerySet[Finding]:
    """The findings filters, shared by the API and the review queue."""
    if f.status:
        qs = qs.filter(status=f.status)
    if f.station:
        qs = qs.filter(station__code=f.station)
    if f.plate:
        qs = qs.filter(plate__icontains=f.plate.strip().upper())
    zone = timezone.get_current_timezone()
    if f.from_:
        qs = qs.filter(passed_at__gte=datetime.combine(f.from_, time.min, tzinfo=zone))
    if f.to:
        qs = qs.filter(passed_at__lt=datetime.combine(f.to, time.max, tzinfo=zone))
    return qs


def _findings(user: User) -> QuerySet[Finding]:
    require(user, Perm.FINDING_VIEW)
    return review.visible_findings(user)


@router.get("/findings", response=list[FindingOut], summary="辖区内的疑似超限线索（可筛选）")
def list_findings(
    request: HttpRequest, filters: Query[FindingFilters], limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    qs = filter_findings(_findings(_user(request)), filters).order_by("-passed_at", "-id")
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    names: dict[date, str] = {}
    return [finding_out(f, names) for f in qs[offset : offset + limit]]


@router.get("/findings/{int:finding_id}", response=FindingOut, summary="一条疑似超限线索")
def get_finding(request: HttpRequest, finding_id: int) -> dict[str, Any]:
    return finding_out(jurisdiction.get_visible(_findings(_user(request)), _user(request), pk=finding_id))


@router.post(
    "/findings/review", response=BulkReviewOut, summary="批量初审：确认与排除（全部成功或全部不生效）"
)
def review_findings(request: HttpRequest, body: BulkReviewIn) -> dict[str, Any]:
    confirms = [(c.id, c.version) if isinstance(c, ConfirmRef) else (c, None) for c in body.confirm]
    dismissals = [review.Dismissal(d.id, d.reason, d.version) for d in body.dismiss]
    confirmed, dismissed = review.review_bulk(
        confirms, dismissals, actor=_user(request), ip=audit.client_ip(request)
    )
    return {
        "confirmed": [finding_out(f) for f in confirmed],
        "dismissed": [finding_out(f) for f in dismissed],
    }


@router.post("/findings/{int:finding_id}/confirm", response=FindingOut, summary="确认线索并登记非现场案源")
def confirm_finding(request: HttpRequest, finding_id: int, body: ConfirmIn) -> dict[str, Any]:
    owner = review.Owner(**body.owner.dict()) if body.owner else None
    finding = review.confirm(
        finding_id, actor=_user(request), version=body.version, owner=owner, ip=audit.client_ip(request)
    )
    return finding_out(finding)


@router.post("/findings/{int:finding_id}/dismiss", response=FindingOut, summary="排除线索（须写明理由）")
def dismiss_finding(request: HttpRequest, finding_id: int, body: DismissIn) -> dict[str, Any]:
    finding = review.dismiss(
        finding_id,
        actor=_user(request),
        reason=body.reason,
        version=body.version,
        ip=audit.client_ip(request),
    )
    return finding_out(finding)


# ── Non-site filing in bulk ───────────────────────────────────────────────────────────────────────────


@router.post(
    "/cases/file",
    response=FilingOut,
    summary="非现场案件批量立案并告知（逐件办理，一件失败不影响其他）",
)
def file_cases(request: HttpRequest, body: FileCasesIn) -> dict[str, Any]:
    results = review.file_non_site(
        body.case_ids, actor=_user(request), served_on=body.served_on, ip=audit.client_ip(request)
    )
    filed = sum(r.ok for r in results)
    return {"filed": filed, "failed": len(results) - filed, "results": [vars(r) for r in results]}
