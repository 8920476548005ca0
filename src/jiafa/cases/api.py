"""/api/v1/cases: list, register, read, and one door for every lifecycle step; the work is in actions."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Body, File, Form, Query, Router, Schema, Status, UploadedFile

from jiafa.cases import actions, events, watch
from jiafa.cases.models import Case, Remedy
from jiafa.cases.schemas import CaseDetailOut, CaseIn, CaseOut, RemedyIn, RemedyOut, RemedyResultIn
from jiafa.cases.states import CaseStatus
from jiafa.core import audit, jurisdiction
from jiafa.core.api import evidence_out, upload_fields
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import User
from jiafa.core.schemas import EvidenceIn, EvidenceOut

router = Router(tags=["案件"])


class CaseFilters(Schema):
    status: str | None = None
    source: str | None = None
    unit: str | None = None  # org unit code: that unit's subtree within the caller's jurisdiction
    officer: str | None = None  # username
    violation: str | None = None
    filed_from: date | None = None
    filed_to: date | None = None
    overdue: bool | None = None
    q: str | None = None  # number, party or plate


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


def filtered(qs: QuerySet[Case], f: CaseFilters, today: date) -> QuerySet[Case]:
    """The case list's filters, shared by the page and the API."""
    if f.status:
        qs = qs.filter(status=f.status)
    if f.source:
        qs = qs.filter(source=f.source)
    if f.unit:
        qs = qs.filter(org_unit__path__contains=f"/{f.unit}/")
    if f.officer:
        qs = qs.filter(officers__username=f.officer)
    if f.violation:
        qs = qs.filter(violation_code=f.violation)
    if f.filed_from:
        qs = qs.filter(filed_on__gte=f.filed_from)
    if f.filed_to:
        qs = qs.filter(filed_on__lte=f.filed_to)
    if f.overdue:
        qs = qs.filter(watch.overdue_q(today))
    if f.q:
        term = f.q.strip()
        qs = (
            qs.filter(number__icontains=term)
            | qs.filter(party_name__icontains=term)
            | qs.filter(vehicle_plate__icontains=term.upper())
        )
    return qs.distinct()


def case_out(case: Case, today: date) -> dict[str, Any]:
    found = watch.deadlines(case, today)
    return {
        "id": case.pk,
        "number": case.number,
        "status": case.status,
        "status_label": CaseStatus(case.status).label,
        "version": case.version,
        "org_unit": case.org_unit.short_name,
        "source": case.source,
        "procedure": case.procedure,
        "violation_code": case.violation_code,
        "party_name": case.party_name,
        "party_kind": case.party_kind,
        "vehicle_plate": case.vehicle_plate,
        "occurred_at": case.occurred_at,
        "place": case.place,
        "filed_on": case.filed_on,
        "decision_due": case.decision_due,
        "outcome": case.outcome,
        "fine_yuan": case.fine_yuan,
        "paid_yuan": case.paid_yuan,
        "payment_due": case.payment_due,
        "next_deadline": _deadline(found[0]) if found else None,
    }


def _deadline(w: watch.Watch) -> dict[str, Any]:
    return {"label": w.label, "due": w.due, "days_left": w.days_left, "overdue": w.overdue}


def _detail(case: Case, user: User) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        **case_out(case, today),
        "facts": case.facts,
        "officers": [o.username for o in case.officers.all()],
        "deadlines": [_deadline(w) for w in watch.deadlines(case, today)],
        "timeline": [
            {
                "kind": e.kind,
                "label": events.label(e.kind),
                "at": e.at,
                "actor": str(e.actor),
                "status_from": e.status_from,
                "status_to": e.status_to,
                "note": e.note,
            }
            for e in case.events.select_related("actor")
        ],
        "documents": [
            {
                "id": d.pk,
                "kind": d.kind,
                "label": d.get_kind_display(),
                "number": d.number,
                "created_at": d.created_at,
            }
            for d in case.documents.all()
        ],
        "evidence": [evidence_out(item) for item in actions.case_evidence(case)],
        "remedies": [remedy_out(r) for r in case.remedies.all()],
        "allowed_actions": [t.action for t in actions.offered(case, user.role, today)],
    }


def remedy_out(r: Remedy) -> dict[str, Any]:
    return {
        "id": r.pk,
        "kind": r.kind,
        "kind_label": r.get_kind_display(),
        "filed_on": r.filed_on,
        "body": r.body,
        "result": r.result,
        "result_label": r.get_result_display(),
        "decided_on": r.decided_on,
        "note": r.note,
    }


def visible_cases(user: User) -> QuerySet[Case]:
    return jurisdiction.visible(Case.objects.select_related("org_unit"), user)


@router.get("/cases", response=list[CaseOut], summary="辖区内的案件（可筛选）")
def list_cases(
    request: HttpRequest, filters: Query[CaseFilters], limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    today = timezone.localdate()
    qs = filtered(visible_cases(_user(request)), filters, today)
    limit, offset = max(1, min(limit, 500)), max(0, offset)
    return [case_out(c, today) for c in qs[offset : offset + limit]]


@router.post("/cases", response={201: CaseDetailOut}, summary="登记案源")
def create_case(request: HttpRequest, body: CaseIn) -> Status[dict[str, Any]]:
    user = _user(request)
    data = body.model_dump()
    usernames = data.pop("officers")
    officers = list(User.objects.filter(username__in=usernames, is_active=True).select_related("org_unit"))
    missing = set(usernames) - {o.username for o in officers}
    if missing:
        raise JiafaError(ErrorCode.INVALID_INPUT, f"找不到执法人员：{'、'.join(sorted(missing))}")
    case = actions.register(actor=user, officers=officers, ip=audit.client_ip(request), **data)
    return Status(201, _detail(case, user))


@router.get("/cases/{case_id}", response=CaseDetailOut, summary="一件案件：期限、时间线、文书、可办步骤")
def get_case(request: HttpRequest, case_id: int) -> dict[str, Any]:
    user = _user(request)
    return _detail(jurisdiction.get_visible(Case.objects.select_related("org_unit"), user, pk=case_id), user)


@router.post(
    "/cases/{case_id}/actions/{action}", response=CaseDetailOut, summary="办理一步（不允许时返回 409）"
)
def act(request: HttpRequest, case_id: int, action: str, payload: Body[dict[str, Any]]) -> dict[str, Any]:
    """The body holds the step's fields, e.g. `{"filed_on": "2024-05-06", "version": 3}`."""
    user = _user(request)
    case = actions.perform(action, case_id, payload, actor=user, ip=audit.client_ip(request))
    return _detail(case, user)


@router.post(
    "/cases/{case_id}/evidence", response={201: EvidenceOut}, summary="为案件添加证据（立案后、结案前）"
)
def add_case_evidence(
    request: HttpRequest, case_id: int, file: File[UploadedFile], fields: Form[EvidenceIn]
) -> Status[dict[str, Any]]:
    item = actions.attach_evidence(case_id, file, **upload_fields(request, file, fields))
    return Status(201, evidence_out(item))


@router.post("/cases/{case_id}/remedies", response={201: RemedyOut}, summary="登记行政复议或行政诉讼")
def add_remedy(request: HttpRequest, case_id: int, payload: RemedyIn) -> Status[dict[str, Any]]:
    remedy = actions.record_remedy(
        case_id, actor=_user(request), ip=audit.client_ip(request), **payload.model_dump()
    )
    return Status(201, remedy_out(remedy))


@router.post("/remedies/{remedy_id}/result", response=RemedyOut, summary="登记复议或诉讼的结果")
def set_remedy_result(request: HttpRequest, remedy_id: int, payload: RemedyResultIn) -> dict[str, Any]:
    remedy = actions.remedy_result(
        remedy_id, actor=_user(request), ip=audit.client_ip(request), **payload.model_dump()
    )
    return remedy_out(remedy)
