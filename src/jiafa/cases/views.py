"""Case pages: the list with filters, registering a case source, the case page and its step forms, and the
documents of the case file (print view and DOCX download)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseServerError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiafa.cases import actions, events, rendering, watch
from jiafa.cases.api import CaseFilters, filtered, visible_cases
from jiafa.cases.forms import RegisterForm, payload, step_fields
from jiafa.cases.models import Case, CaseDocument, Outcome, PenaltyKind, Remedy, Source
from jiafa.cases.schemas import STEP_INPUTS
from jiafa.cases.states import BY_ACTION, DONE, CaseStatus
from jiafa.core import audit, jurisdiction
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.forms import EvidenceUploadForm
from jiafa.core.http import AuthedRequest
from jiafa.core.models import User
from jiafa.core.roles import Perm, can
from jiafa.law.catalogue import violation_choices


@login_required
def case_list(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    params = {k: v for k, v in request.GET.items() if v and k in CaseFilters.model_fields}
    try:
        filters = CaseFilters.model_validate(params)
    except ValueError:
        filters = CaseFilters()
        messages.error(request, "筛选条件格式不对，已显示全部案件。")
    mine = visible_cases(request.user)
    qs = filtered(mine, filters, today).prefetch_related("officers")
    page = Paginator(qs, 30).get_page(request.GET.get("page"))
    rows = [(case, next(iter(watch.deadlines(case, today)), None)) for case in page]
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "rows": rows,
            "filters": filters,
            "statuses": CaseStatus.choices,
            "sources": Source.choices,
            "units": jurisdiction.units(request.user),
            "violations": violation_choices(today),
            "officers": User.objects.filter(cases__in=mine).distinct().order_by("username"),
            "overdue_count": mine.filter(watch.overdue_q(today)).count(),
            "mine_open": mine.filter(officers=request.user).exclude(status__in=DONE).count(),
            "query": request.GET.urlencode(),
            "can_register": request.user.role in ("officer", "squadron_leader"),
        },
    )


@login_required
def case_new(request: AuthedRequest) -> HttpResponse:
    user = request.user
    colleagues = (
        User.objects.filter(is_active=True, org_unit__in=jurisdiction.units(user))
        .exclude(certificate_no="")
        .order_by("org_unit__path", "username")
    )
    form = RegisterForm(
        request.POST or None,
        officers=colleagues,
        violations=violation_choices(timezone.localdate()),
        initial={"officers": [user.pk], "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = actions.register(actor=user, ip=audit.client_ip(request), **data)
        except JiafaError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, "案源已登记，请报中队长批准立案。")
            return redirect("cases:detail", case_id=case.pk)
    return render(request, "cases/new.html", {"form": form})


def _case(request: AuthedRequest, case_id: int) -> Case:
    return jurisdiction.get_visible(
        Case.objects.select_related("org_unit", "registered_by"), request.user, pk=case_id
    )


def _step_defaults(case: Case, action: str) -> dict[str, Any]:
    """Pre-fill a step with what the case already says, so the officer only confirms."""
    if action == "decide":
        return {
            "outcome": case.proposed_outcome,
            "kinds": case.proposed_kinds,
            "fine_yuan": case.proposed_fine_yuan or 0,
        }
    if action == "pay":
        fine, fee = actions.owed(case, timezone.localdate())
        return {"fine_yuan": fine, "late_fee_yuan": fee}
    if action == "conclude":
        facts = case.facts_for_tier
        return {"outcome": Outcome.PENALTY, "kinds": [PenaltyKind.FINE], "facts_for_tier": facts}
    if action == "summary_decide":
        return {"facts_for_tier": case.facts_for_tier}
    return {}


@login_required
def case_detail(request: AuthedRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id)
    today = timezone.localdate()
    steps = actions.offered(case, request.user.role, today)
    return render(
        request,
        "cases/detail.html",
        {
            "case": case,
            "item": actions.item_of(case),
            "evidence": actions.case_evidence(case),
            "evidence_form": EvidenceUploadForm(auto_id="ev_%s")
            if case.status not in (CaseStatus.REGISTERED, *DONE) and can(request.user, Perm.EVIDENCE_UPLOAD)
            else None,
            "status_label": CaseStatus(case.status).label,
            "deadlines": watch.deadlines(case, today),
            "steps": steps,
            "timeline": [(e, events.label(e.kind)) for e in case.events.select_related("actor")],
            "documents": case.documents.all(),
            "payments": case.payments.all(),
            "officers": case.officers.all(),
            "defence_submissions": case.defence_submissions.all(),  # from the party's lookup page
            "remedies": case.remedies.all(),
            "remedy_allowed": case.decided_on is not None
            and case.outcome not in actions.TRANSFERS
            and can(request.user, Perm.REMEDY_RECORD),
            "remedy_kinds": Remedy.Kind.choices,
            "remedy_results": [c for c in Remedy.Result.choices if c[0] != Remedy.Result.PENDING],
            "penalty": penalty_text(
                case.penalty_kinds or case.proposed_kinds, case.fine_yuan or case.proposed_fine_yuan
            ),
        },
    )


def penalty_text(kinds: list[str], fine_yuan: int | None) -> str:
    """ "责令停业整顿、罚款 20,000 元" — what an officer would write."""
    parts = [PenaltyKind(k).label for k in kinds if k != PenaltyKind.FINE]
    if PenaltyKind.FINE in kinds and fine_yuan:
        parts.append(f"罚款 {fine_yuan:,} 元")
    return "、".join(parts)


PENALTY_STEPS = frozenset({"conclude", "decide", "summary_decide"})  # forms that show the item's penalty rule


@login_required
def case_step(request: AuthedRequest, case_id: int, action: str) -> HttpResponse:
    """GET: the step's form (as a fragment for htmx, or a page); POST: take the step."""
    case = _case(request, case_id)
    row = BY_ACTION.get(action)
    if row is None:
        raise JiafaError(ErrorCode.NOT_FOUND, f"没有“{action}”这一办案步骤")
    schema = STEP_INPUTS[action]
    item = actions.item_of(case)
    facts = item.facts
    error = ""
    if request.method == "POST":
        try:
            actions.perform(
                action,
                case.pk,
                payload(schema, request.POST, facts),
                actor=request.user,
                ip=audit.client_ip(request),
            )
        except JiafaError as e:
            error = e.message
        else:
            messages.success(request, f"已{row.label}。")
            response: HttpResponse = redirect("cases:detail", case_id=case.pk)
            if request.htmx:  # type: ignore[attr-defined]
                response = HttpResponse(status=204, headers={"HX-Redirect": response["Location"]})
            return response
    fields = step_fields(
        schema, request.POST if request.method == "POST" else None, _step_defaults(case, action), facts
    )
    colleagues = (
        User.objects.filter(is_active=True, org_unit__in=case.org_unit.bureau().subtree())
        .exclude(pk__in=case.officers.all())
        .order_by("username")
    )
    template = "cases/step_form.html" if request.htmx else "cases/step_page.html"  # type: ignore[attr-defined]
    return render(
        request,
        template,
        {
            "case": case,
            "row": row,
            "fields": fields,
            "error": error,
            "colleagues": colleagues,
            "item": item if action in PENALTY_STEPS else None,
        },
    )


def _document(request: AuthedRequest, doc_id: int) -> CaseDocument:
    """A document of a case in the user's jurisdiction; any other is "not found", like the case itself."""
    documents = CaseDocument.objects.select_related("case__org_unit", "blob", "created_by")
    return jurisdiction.get_visible(documents, request.user, "case__org_unit", pk=doc_id)


@login_required
def document_print(request: AuthedRequest, doc_id: int) -> HttpResponse:
    """The document as it was issued, laid out like the paper: the stored DOCX's paragraphs and tables."""
    return render(request, "cases/print.html", rendering.print_context(_document(request, doc_id)))


@login_required
def document_docx(request: AuthedRequest, doc_id: int) -> HttpResponse:
    """The stored DOCX, byte for byte; refused if the file no longer has the hash it was issued with."""
    document = _document(request, doc_id)
    frozen = rendering.frozen_file(document)
    if not frozen.intact:
        return HttpResponseServerError(
            "文书文件与签发时的哈希值不符，已停止下载，请联系系统管理员核查证据存储。",
            content_type="text/plain; charset=utf-8",
        )
    name = f"{document.get_kind_display()}{document.number or document.case.number}.docx"
    response = HttpResponse(frozen.data, content_type=rendering.DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=name)
    response["ETag"] = f'"{frozen.sha256}"'
    response["X-Content-SHA256"] = frozen.sha256
    return response


@login_required
@require_POST
def case_evidence(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Add evidence from the case page; the file is stored once under its hash and linked to the case."""
    form = EvidenceUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        problems = [str(e) for errors in form.errors.values() for e in errors]
        messages.error(request, "证据未上传：" + "；".join(problems))
        return redirect("cases:detail", case_id=case_id)
    try:
        item = actions.attach_evidence(
            case_id, actor=request.user, ip=audit.client_ip(request), **form.upload()
        )
    except JiafaError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"证据“{item.title}”已入卷，SHA-256 {item.blob.sha256[:16]}…")
    return redirect("cases:detail", case_id=case_id)


@login_required
@require_POST
def case_remedy(request: AuthedRequest, case_id: int) -> HttpResponse:
    """Record on the case page that the party applied for review or sued."""
    try:
        remedy = actions.record_remedy(
            case_id,
            actor=request.user,
            kind=request.POST.get("kind", ""),
            filed_on=_posted_day(request, "filed_on", "申请或起诉日期"),
            body=request.POST.get("body", ""),
            note=request.POST.get("note", ""),
            ip=audit.client_ip(request),
        )
    except JiafaError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"已登记{remedy.get_kind_display()}（{remedy.body}）")
    return redirect("cases:detail", case_id=case_id)


@login_required
@require_POST
def case_remedy_result(request: AuthedRequest, remedy_id: int) -> HttpResponse:
    """Record how a review or lawsuit ended."""
    remedy = Remedy.objects.filter(pk=remedy_id).first()
    if remedy is None:
        raise Http404("没有这条复议或诉讼记录")
    case_id = _case(request, remedy.case_id).pk  # outside the jurisdiction: not found
    try:
        done = actions.remedy_result(
            remedy_id,
            actor=request.user,
            result=request.POST.get("result", ""),
            decided_on=_posted_day(request, "decided_on", "结果日期"),
            note=request.POST.get("note", ""),
            ip=audit.client_ip(request),
        )
    except JiafaError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, f"已登记{done.get_kind_display()}结果：{done.get_result_display()}")
    return redirect("cases:detail", case_id=case_id)


def _posted_day(request: AuthedRequest, name: str, label: str) -> date:
    try:
        return date.fromisoformat(request.POST.get(name, ""))
    except ValueError as e:
        raise JiafaError(ErrorCode.INVALID_INPUT, f"请填写有效的{label}（YYYY-MM-DD）") from e
