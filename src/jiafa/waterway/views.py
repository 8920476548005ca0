"""Waterway pages (水网睿控): the suspect queue (疑似违法线索), a finding with its track, basis and the
verification forms, its hand-over letter, the map (水网地图), the vessel register with each vessel's file
(船舶档案) and code, the printable code card and the public check page a scanned card opens. Thin: the work is
in actions.py, and what the pages say in findings.py, vessels.py, maps.py and letters.py."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import polars as pl
import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_POST

from jiafa.cases.models import Case
from jiafa.core import audit, jurisdiction
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.http import AuthedRequest
from jiafa.core.roles import Perm, can, require
from jiafa.waterway import actions, findings, letters, maps, vessels
from jiafa.waterway.models import Checkpoint, Finding, Vessel, VesselCertificate, Zone
from jiafa.waterway.rules import Rule

PAGE_SIZE = 50
OTHER = "other"  # the hand-over form's choice of an authority not in the list
RECENT_TRACK_DAYS = 14  # a vessel's page looks this far back in the lake for days with a track
MAP_FINDINGS_MAX = 500
KIND_ORDER = {kind: i for i, kind in enumerate(VesselCertificate.Kind.values)}  # 国籍、检验、营运、配员


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        return None


def _on_day(qs: QuerySet[Finding], day: date) -> QuerySet[Finding]:
    return qs.filter(start__gte=findings.midnight(day), start__lt=findings.midnight(day + timedelta(days=1)))


def _status_badge(f: Finding) -> str:
    return findings.STATUS_COLOURS[Finding.Status(f.status)]


def _row(f: Finding) -> dict[str, Any]:
    """What a list shows of a finding."""
    return {
        "f": f,
        "label": Rule(f.rule).label,
        "measure": findings.measure(f),
        "place": findings.place(f),
        "colour": _status_badge(f),
    }


# ── The queue ──────────────────────────────────────────────────────────────────────────────────────────


def _queue(request: AuthedRequest) -> dict[str, Any]:
    """The list with its filters (findings.filtered); a filter that can't be used is said and left out."""
    params = request.GET
    user = request.user
    qs, asked = findings.filtered(user, params, status=Finding.Status.PENDING)
    for message in asked.errors.values():
        messages.error(request, f"{message}。已忽略该筛选条件。")
    page = Paginator(qs, PAGE_SIZE).get_page(params.get("page"))
    return {
        "page": page,
        "rows": [_row(f) for f in page],
        "status": asked.status,
        "statuses": Finding.Status.choices,
        "rule": asked.rule,
        "rules": [(r.value, r.label) for r in Rule],
        "unit": asked.unit.code if asked.unit else "",
        "units": jurisdiction.units(user).order_by("path"),
        "since": asked.since,
        "until": asked.until,
        "vessel": asked.vessel,
        "pending": findings.pending(user).count(),
        "filtered": any(params.get(k) for k in ("rule", "unit", "from", "to", "vessel"))
        or asked.status != Finding.Status.PENDING,
    }


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    return render(request, "waterway/queue.html", _queue(request))


# ── One finding ────────────────────────────────────────────────────────────────────────────────────────


def _finding(request: AuthedRequest, finding_id: int) -> Finding:
    return jurisdiction.get_visible(findings.visible(request.user), request.user, pk=finding_id)


def _finding_page(
    request: AuthedRequest, f: Finding, *, error: str = "", posted: QueryDict | None = None, status: int = 200
) -> HttpResponse:
    verifying = can(request.user, Perm.WATERWAY_VERIFY) and f.status == Finding.Status.PENDING
    receivers = letters.receivers(f)
    legal = findings.legal(f)
    return render(
        request,
        "waterway/finding.html",
        {
            "f": f,
            "colour": _status_badge(f),
            "rule_label": Rule(f.rule).label,
            "measure": findings.measure(f),
            "place": findings.place(f),
            "in_zone": findings.in_zone(f),
            "legal": legal,
            "map": maps.finding_map(f),
            "code": vessels.code(f.vessel, timezone.localdate()) if f.vessel else None,
            "can_verify": verifying,
            "muck": f.rule in actions.MUCK_RULES,
            "receivers": receivers,
            "suggested": receivers[0]
            if f.rule in actions.MUCK_RULES or (legal and legal.handover_to)
            else "",
            "other": OTHER,
            "error": error,
            "posted": posted or {},
            "day": findings.day_of(f),
        },
        status=status,
    )


@login_required
def finding(request: AuthedRequest, finding_id: int) -> HttpResponse:
    return _finding_page(request, _finding(request, finding_id))


def _version(post: QueryDict) -> int | None:
    value = post.get("version", "")
    return int(value) if value.isdigit() else None


def _receiver(post: QueryDict) -> str:
    chosen = post.get("to", "").strip()
    return post.get("to_other", "").strip() if chosen == OTHER else chosen


@login_required
@require_POST
def verify(request: AuthedRequest, finding_id: int, step: str) -> HttpResponse:
    """核查确认, 移交 or 排除: the page again with the action's refusal in Chinese and what was typed kept;
    after success, the finding with the outcome on top."""
    require(request.user, Perm.WATERWAY_VERIFY)
    f = _finding(request, finding_id)
    post, ip, actor = request.POST, audit.client_ip(request), request.user
    try:
        if step == "confirm":
            case = actions.confirm(
                f, actor=actor, check_note=post.get("check_note", ""), version=_version(post), ip=ip
            )
            messages.success(request, f"已核查确认，已登记水网案源（案件 #{case.pk}），请在案件办理中立案。")
        elif step == "hand-over":
            to = _receiver(post)
            done = actions.hand_over(
                f, actor=actor, to=to, check_note=post.get("check_note", ""), version=_version(post), ip=ip
            )
            messages.success(request, f"已移交{to}，移交函 {done.letter_number} 已生成。")
        elif step == "dismiss":
            actions.dismiss(f, actor=actor, reason=post.get("reason", ""), version=_version(post), ip=ip)
            messages.success(request, "已排除该线索。")
        else:
            raise JiafaError(ErrorCode.NOT_FOUND)
    except JiafaError as e:
        if e.code == ErrorCode.NOT_FOUND:
            raise
        return _finding_page(
            request, _finding(request, finding_id), error=e.message, posted=post, status=e.status
        )
    return redirect("waterway:finding", finding_id=finding_id)


def _letter_response(f: Finding) -> HttpResponse:
    frozen = letters.stored(f)
    if not frozen.intact:
        return HttpResponseServerError(
            "移交函文件与签发时的哈希值不符，已停止下载，请联系系统管理员核查证据存储。",
            content_type="text/plain; charset=utf-8",
        )
    response = HttpResponse(frozen.data, content_type=letters.rendering.DOCX_TYPE)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=letters.filename(f)
    )
    response["ETag"] = f'"{frozen.sha256}"'
    response["X-Content-SHA256"] = frozen.sha256
    return response


@login_required
def letter(request: AuthedRequest, finding_id: int) -> HttpResponse:
    """The hand-over letter as issued, byte for byte."""
    return _letter_response(_finding(request, finding_id))


# ── The map ────────────────────────────────────────────────────────────────────────────────────────────


def _chosen_vessel(request: AuthedRequest, text: str) -> tuple[int | None, Vessel | None]:
    """The MMSI to draw: typed as digits (registered or not), or a registered vessel found by name."""
    if not text:
        return None, None
    visible = vessels.visible(request.user)
    mmsi = findings.mmsi_of(text)
    if mmsi is not None:
        return mmsi, visible.filter(mmsi=mmsi).first() or Vessel.objects.filter(mmsi=mmsi).first()
    found = visible.filter(name=text).first() or visible.filter(name__icontains=text).order_by("name").first()
    return (found.mmsi, found) if found else (None, None)


@login_required
def map_view(request: AuthedRequest) -> HttpResponse:
    user = request.user
    params = request.GET
    found = findings.visible(user)
    text = params.get("vessel", "").strip()
    mmsi, vessel = _chosen_vessel(request, text)
    day = _day(params.get("day", "")) or (timezone.localdate() if mmsi else None)
    found = _on_day(found, day) if day else found.filter(status=Finding.Status.PENDING)
    shown = list(found.order_by("-start")[:MAP_FINDINGS_MAX])
    track = maps.day_track(mmsi, day) if mmsi and day else pl.DataFrame(schema=maps.TRACK_SCHEMA)
    zones = list(jurisdiction.visible(Zone.objects.all(), user))
    drawn = maps.shapes(zones, list(jurisdiction.visible(Checkpoint.objects.all(), user)))
    categories = [maps.zone_category(z) for z in zones]
    return render(
        request,
        "waterway/map.html",
        {
            "map": maps.overview(drawn, shown, track, day),
            "zone_legend": [(c, label, categories.count(c)) for c, label in maps.ZONE_CATEGORIES.items()],
            "rule_legend": [(r.value, r.label, sum(f.rule == r for f in shown)) for r in Rule],
            "findings_count": len(shown),
            "capped": len(shown) == MAP_FINDINGS_MAX,
            "vessel_text": text,
            "mmsi": mmsi,
            "vessel": vessel,
            "unknown_vessel": bool(text) and mmsi is None,
            "day": day,
            "reports": track.height,
            "own_findings": [_row(f) for f in shown if mmsi and f.mmsi == mmsi],
        },
    )


# ── Vessels ────────────────────────────────────────────────────────────────────────────────────────────


@login_required
def vessel_list(request: AuthedRequest) -> HttpResponse:
    qs = vessels.visible(request.user)
    q = request.GET.get("q", "").strip()
    if q:
        by_text = Q(name__icontains=q) | Q(owner_name__icontains=q)
        mmsi = findings.mmsi_of(q)
        qs = qs.filter(by_text | Q(mmsi=mmsi) if mmsi is not None else by_text)
    kind = request.GET.get("kind", "")
    if kind in Vessel.Kind.values:
        qs = qs.filter(kind=kind)
    page = Paginator(qs.order_by("name", "mmsi"), PAGE_SIZE).get_page(request.GET.get("page"))
    codes = vessels.codes(list(page), timezone.localdate())
    pending = dict(
        findings.pending(request.user)
        .filter(vessel__in=[v.pk for v in page])
        .values("vessel_id")
        .annotate(n=Count("id"))
        .values_list("vessel_id", "n")
    )
    rows = [{"v": v, "code": codes[v.pk], "pending": pending.get(v.pk, 0)} for v in page]
    return render(
        request,
        "waterway/vessels.html",
        {"page": page, "rows": rows, "q": q, "kind": kind, "kinds": Vessel.Kind.choices},
    )


def _vessel(request: AuthedRequest, mmsi: int) -> Vessel:
    vessel = vessels.visible(request.user).filter(mmsi=mmsi).first()
    if vessel is None:
        raise JiafaError(ErrorCode.NOT_FOUND)
    return vessel


def check_url(request: HttpRequest, vessel: Vessel) -> str:
    return request.build_absolute_uri(reverse("waterway:check", args=[vessels.check_token(vessel)]))


def _qr(url: str, scale: int, *, sized: bool = True) -> str:
    """The QR code as inline SVG; unsized, it fills the box the stylesheet gives it (the printed card)."""
    return segno.make(url, error="m").svg_inline(scale=scale, title="扫码核验船舶码", omitsize=not sized)


def _validity(valid_from: date, valid_to: date, today: date, expiring_days: int) -> tuple[str, str]:
    """A badge colour and words for a certificate's or a permit's validity today."""
    if valid_from > today:
        return "grey", "尚未生效"
    if valid_to < today:
        return "red", "已过期"
    if valid_to <= today + timedelta(days=expiring_days):
        return "amber", f"{(valid_to - today).days} 天后到期"
    return "green", "有效"


@login_required
def vessel_detail(request: AuthedRequest, mmsi: int) -> HttpResponse:
    """船舶档案: the register's facts, certificates and permits with their validity, the code and its reasons,
    the QR code of the public check, and the vessel's history as far as the user's jurisdiction goes."""
    user = request.user
    vessel = _vessel(request, mmsi)
    today = timezone.localdate()
    limits = vessels.limits(today)
    own = findings.visible(user).filter(vessel=vessel).order_by("-start")
    visible_cases = jurisdiction.visible(Case.objects.all(), user)
    linked = vessels.cases_of([vessel])[vessel.pk]
    shown = set(visible_cases.filter(pk__in=[c.pk for c in linked]).values_list("pk", flat=True))
    cases = [c for c in linked if c.pk in shown]
    against_owner = (
        visible_cases.filter(party_id_no=vessel.owner_id_no).exclude(pk__in=[c.pk for c in cases])
        if vessel.owner_id_no
        else Case.objects.none()
    )
    days = [today - timedelta(days=d) for d in range(RECENT_TRACK_DAYS)]
    url = check_url(request, vessel)
    return render(
        request,
        "waterway/vessel.html",
        {
            "v": vessel,
            "code": vessels.code(vessel, today),
            "today": today,
            "certificates": [
                (c, *_validity(c.valid_from, c.valid_to, today, limits.expiring_days))
                for c in sorted(
                    vessel.certificates.all(), key=lambda c: (KIND_ORDER[c.kind], -c.valid_to.toordinal())
                )
            ],
            "permits": [
                (p, *_validity(p.valid_from, p.valid_to, today, 0))
                for p in vessel.muck_permits.select_related("loading_zone", "dumping_zone")
            ],
            "findings": [_row(f) for f in own[:100]],
            "findings_total": own.count(),
            "handed_over": list(own.filter(status=Finding.Status.HANDED_OVER)),
            "cases": cases,
            "against_owner": list(against_owner[:20]),
            "tracks": maps.days_with_track(vessel.mmsi, days),
            "track_days": RECENT_TRACK_DAYS,
            "qr": _qr(url, 3),
            "check_url": url,
        },
    )


@login_required
def vessel_card(request: AuthedRequest, mmsi: int) -> HttpResponse:
    """The card to print and keep on board: name, MMSI and the QR code of the public check page. It shows no
    colour, which changes; the scan shows today's."""
    vessel = _vessel(request, mmsi)
    url = check_url(request, vessel)
    bureau = vessel.org_unit.bureau().name
    return render(
        request,
        "waterway/card.html",
        {"v": vessel, "qr": _qr(url, 8, sized=False), "url": url, "bureau": bureau},
    )


def check(request: HttpRequest, token: str) -> HttpResponse:
    """Public, no login: what anyone scanning a vessel's card sees — the colour, the vessel's name and the
    day, nothing more. A forged or altered token is told apart in Chinese, never a server error."""
    try:
        vessel = vessels.vessel_of(token)
    except JiafaError as e:
        return render(request, "waterway/check.html", {"error": e.message}, status=e.status)
    today = timezone.localdate()
    colour = vessels.code(vessel, today).colour
    return render(
        request,
        "waterway/check.html",
        {"name": vessel.name, "colour": colour.value, "label": colour.label, "today": today},
    )
