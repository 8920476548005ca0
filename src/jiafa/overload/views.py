"""Non-site overload pages: the review queue (初审), made for the keyboard; a finding with its numbers,
records and evidence pack; the squadron leader's list of registered non-site cases, filed in bulk
(立案并告知). Thin: every change goes through review.py."""

from __future__ import annotations

import json
import logging
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import polars as pl
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse, HttpResponseServerError, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiafa.cases.models import PartyKind
from jiafa.core import audit, jurisdiction
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.http import AuthedRequest
from jiafa.core.models import User
from jiafa.core.roles import Perm, can, require
from jiafa.overload import packs, review
from jiafa.overload.api import filter_findings
from jiafa.overload.models import Finding, Vehicle, WimStation
from jiafa.overload.records import REFERENCES
from jiafa.overload.schemas import FindingFilters

log = logging.getLogger(__name__)

PAGE_SIZE = 50
SORTS = {
    "time": ("passed_at", "id"),  # oldest first: the limitation period runs from the passing
    "rate": ("-overload_rate", "passed_at", "id"),
    "fine": ("-fine_yuan", "passed_at", "id"),
}
FLAGS = {"hundred_tonne": "百吨王", "serious": "严重超限"}
OUTCOME_LABELS = {"warning": "警告", "fine": "罚款"}


PLATE_CLASSES = {"黄": "yellow", "蓝": "blue", "绿": "green", "黄绿": "green", "黑": "black", "白": "white"}


def percent(rate: Decimal) -> str:
    """0.3052 → "30.5%"."""
    return f"{rate * 100:.1f}%"


def _pending(user: User) -> QuerySet[Finding]:
    require(user, Perm.FINDING_VIEW)
    return review.visible_findings(user).filter(status=Finding.Status.PENDING)


def _filters(params: QueryDict) -> FindingFilters:
    raw = {k: params.get(k, "").strip() for k in ("station", "plate", "from", "to")}
    try:
        return FindingFilters.model_validate({k: v for k, v in raw.items() if v})
    except ValueError:
        return FindingFilters.model_validate({})


def _queue_context(request: AuthedRequest, params: QueryDict) -> dict[str, Any]:
    user = request.user
    filters = _filters(params)
    qs = filter_findings(_pending(user), filters)
    flag = params.get("flag", "")
    if flag in FLAGS:
        qs = qs.filter(**{flag: True})
    sort = params.get("sort", "time")
    qs = qs.order_by(*SORTS.get(sort, SORTS["time"]))
    page = Paginator(qs, PAGE_SIZE).get_page(params.get("page"))
    plates = {f.plate for f in page}
    registered = set(Vehicle.objects.filter(plate__in=plates).values_list("plate", "plate_color"))
    rows = [
        {
            "f": f,
            "ev": pack_summary(f),
            "rate": percent(f.overload_rate),
            "registered": (f.plate, f.plate_color) in registered,
        }
        for f in page
    ]
    return {
        "page": page,
        "rows": rows,
        "counts": review.today_counts(user),
        "filters": filters,
        "flag": flag,
        "flags": FLAGS,
        "sort": sort,
        "stations": jurisdiction.visible(WimStation.objects.all(), user),
        "can_review": can(user, Perm.FINDING_REVIEW),
        "can_file": can(user, Perm.NON_SITE_FILE),
        "waiting_cases": review.registered_non_site(user).count(),
        "reasons": review.DISMISS_REASONS,
        "query": _without_page(params),
        "back": params.urlencode(),
        "outcomes": OUTCOME_LABELS,
        "plate_classes": PLATE_CLASSES,
    }


def _without_page(params: QueryDict) -> str:
    kept = params.copy()
    kept.pop("page", None)
    return kept.urlencode()


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    return render(request, "overload/queue.html", _queue_context(request, request.GET))


def _items(values: list[str]) -> list[tuple[int, int | None]]:
    """Checkbox values "id:version" (the version the reviewer saw)."""
    items = []
    for value in values:
        finding_id, _, version = value.partition(":")
        if not finding_id.isdigit() or (version and not version.isdigit()):
            raise JiafaError(ErrorCode.INVALID_INPUT, "提交的线索编号有误，请刷新页面")
        items.append((int(finding_id), int(version) if version else None))
    return items


def _reason(chosen: str, text: str) -> str:
    """A reason from the short list, with the reviewer's words added; "其他" needs words of its own."""
    chosen, text = chosen.strip(), text.strip()
    if chosen not in review.DISMISS_REASONS:
        raise JiafaError(ErrorCode.INVALID_INPUT, "请选择排除理由")
    if chosen == review.DISMISS_REASONS[-1]:
        if not text:
            raise JiafaError(ErrorCode.INVALID_INPUT, "选择“其他”时请写明排除的具体理由")
        return text
    return f"{chosen}：{text}" if text else chosen


def _review(request: AuthedRequest) -> str:
    """Take the queue's action on the checked findings; the message to show."""
    action = request.POST.get("action", "")
    items = _items(request.POST.getlist("item"))
    ip = audit.client_ip(request)
    if action == "confirm":
        confirmed, _ = review.review_bulk(items, [], actor=request.user, ip=ip)
        plates = "、".join(f.plate for f in confirmed[:3]) + ("等" if len(confirmed) > 3 else "")
        return f"已确认 {len(confirmed)} 条线索（{plates}），已登记非现场案源，待中队长立案。"
    if action == "dismiss":
        reason = _reason(request.POST.get("reason", ""), request.POST.get("reason_text", ""))
        dismissals = [review.Dismissal(i, reason, v) for i, v in items]
        _, dismissed = review.review_bulk([], dismissals, actor=request.user, ip=ip)
        return f"已排除 {len(dismissed)} 条线索：{reason}"
    raise JiafaError(ErrorCode.INVALID_INPUT, "未知的操作")


@login_required
@require_POST
def queue_review(request: AuthedRequest) -> HttpResponse:
    """The queue's confirm / dismiss (checked rows, or the current one): all or nothing. Under htmx the
    answer is the refreshed queue with the outcome on top; otherwise back to the queue."""
    back = QueryDict(request.POST.get("back", ""))
    try:
        notice, error = _review(request), ""
    except JiafaError as e:
        notice, error = "", e.message
    if request.htmx:  # type: ignore[attr-defined]
        context = _queue_context(request, back) | {"notice": notice, "error": error}
        return render(request, "overload/_queue.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    return redirect(f"{reverse('overload:queue')}?{back.urlencode()}")


# ── One finding ───────────────────────────────────────────────────────────────────────────────────────


def _finding(request: AuthedRequest, finding_id: int) -> Finding:
    require(request.user, Perm.FINDING_VIEW)
    return jurisdiction.get_visible(review.visible_findings(request.user), request.user, pk=finding_id)


def read_pack(finding: Finding) -> dict[str, Any] | None:
    """The evidence pack as stored, or None when there is none, it is not the stored bytes or not JSON."""
    if not packs.has_pack(finding):
        return None
    try:
        data = json.loads(packs.read(finding))
    except (JiafaError, OSError, ValueError):
        log.warning("evidence pack of finding %s unreadable", finding.pk)
        return None
    return data if isinstance(data, dict) else {"content": data}


def pack_summary(finding: Finding) -> dict[str, Any]:
    """What the queue shows of the evidence: which items the pack holds, and the pack's short hash."""
    pack = read_pack(finding) or {}
    listed = pack.get("items")
    items = listed if isinstance(listed, list) else []
    kinds = [str(i.get("kind", "")) for i in items if isinstance(i, dict)]
    return {
        "sha": packs.sha256(finding),
        "photos": sum(k.startswith("photo") for k in kinds),
        "video": any(k.startswith("video") for k in kinds),
        "calibration": bool(pack.get("calibration")),  # the certificate the station held that day
        "records": len(finding.record_ids) or 1,
        "items": len(kinds),
    }


def trip_records(finding: Finding) -> list[dict[str, Any]]:
    """The lake's records of the finding's trip, read from the partitions around the passing only."""
    root = settings.DATA_DIR / "lake" / "wim"
    day = timezone.localtime(finding.passed_at).date()
    days = [day + timedelta(days=d) for d in (-1, 0, 1)]  # partitions may be by UTC or local date
    files = [p for d in days for p in sorted((root / f"date={d.isoformat()}").glob("*.parquet"))]
    wanted = sorted({finding.record_id, *finding.record_ids})
    if not files:
        return []
    try:
        frame = pl.scan_parquet(files).filter(pl.col("record_id").is_in(wanted)).sort("passed_at").collect()
    except (pl.exceptions.PolarsError, OSError) as e:
        log.warning("lake unreadable for finding %s: %s", finding.pk, e)
        return []
    # The lake keeps evidence references as 32 raw bytes; people read them as hex.
    readable = frame.with_columns(pl.col(n).bin.encode("hex") for n in REFERENCES if n in frame.columns)
    return readable.unique("record_id", keep="first", maintain_order=True).to_dicts()


@login_required
def finding_detail(request: AuthedRequest, finding_id: int) -> HttpResponse:
    finding = _finding(request, finding_id)
    pack = read_pack(finding)
    return render(
        request,
        "overload/finding.html",
        {
            "f": finding,
            "facts": review.facts_of(finding),
            "records": trip_records(finding),
            "pack": json.dumps(pack, ensure_ascii=False, indent=2) if pack is not None else "",
            "has_pack": packs.has_pack(finding),
            "pack_sha256": packs.sha256(finding),
            "pack_size": packs.size(finding),
            "vehicle": review.vehicle_of(finding),
            "next": _next_pending(request.user, finding),
            "can_review": can(request.user, Perm.FINDING_REVIEW) and finding.status == Finding.Status.PENDING,
            "reasons": review.DISMISS_REASONS,
            "party_kinds": PartyKind.choices,
            "outcome": OUTCOME_LABELS.get(finding.outcome, finding.outcome),
            "rule": review.VIOLATION_CODE,
            "rate": percent(finding.overload_rate),
            "plate_class": PLATE_CLASSES.get(finding.plate_color, ""),
        },
    )


def _owner(post: QueryDict) -> review.Owner | None:
    if not post.get("owner_name", "").strip():
        return None
    return review.Owner(
        kind=post.get("owner_kind", ""),
        name=post.get("owner_name", ""),
        id_no=post.get("owner_id_no", ""),
        address=post.get("owner_address", ""),
        phone=post.get("owner_phone", ""),
    )


def _version(post: QueryDict) -> int | None:
    value = post.get("version", "")
    return int(value) if value.isdigit() else None


@login_required
@require_POST
def finding_confirm(request: AuthedRequest, finding_id: int) -> HttpResponse:
    try:
        finding = review.confirm(
            finding_id,
            actor=request.user,
            version=_version(request.POST),
            owner=_owner(request.POST),
            ip=audit.client_ip(request),
        )
    except JiafaError as e:
        messages.error(request, e.message)
        return redirect("overload:finding", finding_id=finding_id)
    messages.success(request, f"已确认 {finding.plate} 的线索，已登记非现场案源，待中队长立案。")
    return _after_review(request, finding)


@login_required
@require_POST
def finding_dismiss(request: AuthedRequest, finding_id: int) -> HttpResponse:
    try:
        reason = _reason(request.POST.get("reason", ""), request.POST.get("reason_text", ""))
        finding = review.dismiss(
            finding_id,
            actor=request.user,
            reason=reason,
            version=_version(request.POST),
            ip=audit.client_ip(request),
        )
    except JiafaError as e:
        messages.error(request, e.message)
        return redirect("overload:finding", finding_id=finding_id)
    messages.success(request, f"已排除 {finding.plate} 的线索：{reason}")
    return _after_review(request, finding)


def _next_pending(user: User, finding: Finding) -> Finding | None:
    """The pending finding after this one in the queue's order, or the queue's first when this was last."""
    pending = _pending(user).exclude(pk=finding.pk).order_by(*SORTS["time"])
    return pending.filter(passed_at__gte=finding.passed_at).first() or pending.first()


def _after_review(request: AuthedRequest, finding: Finding) -> HttpResponse:
    """On to the next pending finding, as in the queue; back to the queue when none is left."""
    following = _next_pending(request.user, finding)
    if following is None:
        return redirect("overload:queue")
    return redirect("overload:finding", finding_id=following.pk)


@login_required
def finding_evidence(request: AuthedRequest, finding_id: int) -> HttpResponse:
    """The evidence pack as stored, refused if the file no longer has the hash it was stored under."""
    finding = _finding(request, finding_id)
    if not packs.has_pack(finding):
        raise JiafaError(ErrorCode.NOT_FOUND, "该线索没有证据包")
    try:
        data = packs.read(finding)  # a pack is a small JSON document
    except JiafaError as e:
        if e.code != ErrorCode.CONFLICT:
            raise
        return HttpResponseServerError(
            "证据包文件与登记的哈希值不符，已停止下载，请联系系统管理员核查证据存储。",
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(data, content_type=packs.PACK_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=f"evidence-{finding.record_id}.json"
    )
    response["X-Content-SHA256"] = packs.sha256(finding)
    return response


# ── Registered non-site cases: the leader's bulk filing ──────────────────────────────────────────────


def _cases_context(request: AuthedRequest) -> dict[str, Any]:
    require(request.user, Perm.FINDING_VIEW)
    cases = review.registered_non_site(request.user).prefetch_related("findings__station", "officers")
    return {
        "rows": [(c, c.findings.all()[0]) for c in cases],
        "can_file": can(request.user, Perm.NON_SITE_FILE),
        "today": timezone.localdate(),
        "outcomes": OUTCOME_LABELS,
    }


@login_required
def non_site_cases(request: AuthedRequest) -> HttpResponse:
    return render(request, "overload/cases.html", _cases_context(request))


@login_required
@require_POST
def non_site_file(request: AuthedRequest) -> HttpResponse:
    """立案并告知 for the checked cases, each on its own; the page then lists what happened to each."""
    ids = [int(v) for v in request.POST.getlist("case") if v.isdigit()]
    error, results = "", []
    try:
        served_on = date.fromisoformat(request.POST.get("served_on", ""))
    except ValueError:
        error = "请填写告知书送达日期"
    else:
        try:
            results = review.file_non_site(
                ids, actor=request.user, served_on=served_on, ip=audit.client_ip(request)
            )
        except JiafaError as e:
            error = e.message
    context = _cases_context(request) | {
        "results": results,
        "filed": sum(r.ok for r in results),
        "failed": sum(not r.ok for r in results),
        "error": error,
    }
    template = "overload/_cases.html" if request.htmx else "overload/cases.html"  # type: ignore[attr-defined]
    return render(request, template, context)
