from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render

from jiafa.core import actions, audit, jurisdiction
from jiafa.core.errors import JiafaError
from jiafa.core.forms import EvidenceEditForm, EvidenceUploadForm
from jiafa.core.http import AuthedRequest
from jiafa.core.models import AuditEntry, EvidenceItem
from jiafa.core.roles import Perm, can, require

INLINE_TYPES = frozenset(
    {"image/jpeg", "image/png", "image/gif", "image/webp", "application/pdf", "video/mp4"}
)


def _visible(request: AuthedRequest, item_id: int) -> EvidenceItem:
    require(request.user, Perm.EVIDENCE_VIEW)
    qs = EvidenceItem.objects.select_related("blob", "uploaded_by", "org_unit")
    return jurisdiction.get_visible(qs, request.user, pk=item_id)


@login_required
def evidence_list(request: AuthedRequest) -> HttpResponse:
    require(request.user, Perm.EVIDENCE_VIEW)
    items = jurisdiction.visible(
        EvidenceItem.objects.select_related("blob", "uploaded_by", "org_unit"), request.user
    )
    q = request.GET.get("q", "").strip()
    if q:
        items = items.filter(title__icontains=q) | items.filter(blob__sha256__startswith=q.lower())
    kind = request.GET.get("kind", "")
    if kind in EvidenceItem.Kind.values:
        items = items.filter(kind=kind)
    page = Paginator(items, 30).get_page(request.GET.get("page"))
    return render(
        request,
        "core/evidence_list.html",
        {
            "page": page,
            "q": q,
            "kind": kind,
            "kinds": EvidenceItem.Kind.choices,
            "can_upload": can(request.user, Perm.EVIDENCE_UPLOAD),
        },
    )


@login_required
def evidence_upload(request: AuthedRequest) -> HttpResponse:
    require(request.user, Perm.EVIDENCE_UPLOAD)
    form = EvidenceUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            item = actions.add_evidence(actor=request.user, ip=audit.client_ip(request), **form.upload())
        except JiafaError as e:
            form.add_error(None, e.message)
        else:
            messages.success(request, f"证据“{item.title}”已入库，SHA-256 {item.blob.sha256[:16]}…")
            return redirect("evidence:detail", item_id=item.pk)
    return render(request, "core/evidence_upload.html", {"form": form})


@login_required
def evidence_detail(request: AuthedRequest, item_id: int) -> HttpResponse:
    item = _visible(request, item_id)
    can_edit = can(request.user, Perm.EVIDENCE_EDIT)
    form = EvidenceEditForm(
        request.POST or None,
        initial={
            "title": item.title,
            "description": item.description,
            "version": item.version,
        },
    )
    if request.method == "POST":
        require(request.user, Perm.EVIDENCE_EDIT)
        if form.is_valid():
            try:
                actions.edit_evidence(
                    item,
                    actor=request.user,
                    version=form.cleaned_data["version"],
                    title=form.cleaned_data["title"],
                    description=form.cleaned_data["description"],
                    ip=audit.client_ip(request),
                )
            except JiafaError as e:
                form.add_error(None, e.message)
            else:
                messages.success(request, "证据说明已保存。")
                return redirect("evidence:detail", item_id=item.pk)
    history = audit_history(item)
    same_content = jurisdiction.visible(EvidenceItem.objects.filter(blob=item.blob), request.user).count() - 1
    return render(
        request,
        "core/evidence_detail.html",
        {
            "item": item,
            "form": form,
            "can_edit": can_edit,
            "history": history,
            "same_content": same_content,
        },
    )


def audit_history(item: EvidenceItem) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(object_type=item._meta.label_lower, object_id=str(item.pk)).order_by(
        "seq"
    )


@login_required
def evidence_file(request: AuthedRequest, item_id: int) -> FileResponse:
    item = _visible(request, item_id)
    # Shown in the browser only for types that can't carry script; anything else downloads.
    inline = item.blob.content_type in INLINE_TYPES
    return FileResponse(
        open(item.blob.path, "rb"),
        as_attachment=not inline,
        filename=item.original_name,
        content_type=item.blob.content_type or "application/octet-stream",
    )
