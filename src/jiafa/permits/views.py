"""Permit pages: the review queue with time limits, an application with its check and decision forms, the
printable permit with its QR code, the public verification page a roadside officer scans, the bridge map
and the application form that shows at once which bridges fail and why. Thin: the work is in actions.py."""

from __future__ import annotations

from datetime import date
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiafa.core import audit, jurisdiction
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.http import AuthedRequest
from jiafa.core.roles import Perm, can, require
from jiafa.permits import actions
from jiafa.permits.forms import ApplicationForm
from jiafa.permits.models import Bridge, PermitApplication
from jiafa.permits.states import COLOURS, PENDING, TRANSITIONS, PermitStatus
from jiafa.simulate.world import roads
from jiafa.web import svgmap

ISSUED = frozenset({PermitStatus.APPROVED, PermitStatus.SUSPENDED, PermitStatus.REVOKED})


def _visible(request: AuthedRequest) -> Any:
    require(request.user, Perm.PERMIT_VIEW)
    return jurisdiction.visible(PermitApplication.objects.select_related("org_unit"), request.user)


@login_required
def queue(request: AuthedRequest) -> HttpResponse:
    today = timezone.localdate()
    apps = list(_visible(request).order_by("due_on", "id")[:500])
    wanted = request.GET.get("status", "")
    rows = [
        {
            "app": a,
            "colour": COLOURS[PermitStatus(a.status)],
            "pending": a.status in PENDING,
            "overdue": a.status in PENDING and a.status != PermitStatus.REINFORCEMENT and a.due_on < today,
            "days_left": (a.due_on - today).days,
        }
        for a in apps
        if not wanted or a.status == wanted
    ]
    counts = [(s.value, s.label, sum(a.status == s for a in apps)) for s in PermitStatus]
    return render(
        request,
        "permits/queue.html",
        {
            "rows": rows,
            "counts": counts,
            "wanted": wanted,
            "can_apply": can(request.user, Perm.PERMIT_HANDLE),
        },
    )


@login_required
def detail(request: AuthedRequest, app_id: int) -> HttpResponse:
    app = jurisdiction.get_visible(_visible(request), request.user, pk=app_id)
    steps = [
        t
        for t in TRANSITIONS
        if app.status in t.sources and can(request.user, t.perm) and t.action != "amend"
    ]
    return render(
        request,
        "permits/detail.html",
        {
            "app": app,
            "colour": COLOURS[PermitStatus(app.status)],
            "result": app.check_result,
            "events": app.events.select_related("actor"),
            "steps": steps,
            "issued": app.status in ISSUED,
        },
    )


@login_required
@require_POST
def step(request: AuthedRequest, app_id: int, action: str) -> HttpResponse:
    text = request.POST.get("text", "")
    try:
        actions.perform(
            action,
            app_id,
            actor=request.user,
            today=timezone.localdate(),
            version=int(request.POST["version"]) if request.POST.get("version", "").isdigit() else None,
            note=text,
            reasons=text,
            opinion=text,
            ip=audit.client_ip(request),
        )
    except JiafaError as e:
        messages.error(request, e.message)
    else:
        messages.success(request, "已办理")
    return redirect("permits:detail", app_id=app_id)


def _verify_url(request: HttpRequest, app: PermitApplication) -> str:
    return request.build_absolute_uri(reverse("permits:verify", args=[app.verify_code]))


@login_required
def document(request: AuthedRequest, app_id: int) -> HttpResponse:
    """The permit (超限运输车辆通行证) as a print view, with the QR code of its verification page."""
    app = jurisdiction.get_visible(_visible(request), request.user, pk=app_id)
    if app.status not in ISSUED:
        raise JiafaError(ErrorCode.STEP_NOT_READY, "尚未准予许可，没有通行证")
    url = _verify_url(request, app)
    qr = segno.make(url, error="m").svg_inline(scale=4, title="扫码核验通行证")
    return render(request, "permits/document.html", {"app": app, "qr": qr, "url": url})


def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Public: what a roadside officer or anyone scanning the permit sees — whether it is valid today."""
    app = PermitApplication.objects.filter(verify_code=code).exclude(verify_code="").first() if code else None
    today = timezone.localdate()
    if app is None:
        return render(request, "permits/verify.html", {"app": None}, status=404)
    valid = app.status == PermitStatus.APPROVED and app.travel_from <= today <= app.travel_to
    if app.status != PermitStatus.APPROVED:
        verdict = f"通行证{PermitStatus(app.status).label}，不得通行"
    elif today < app.travel_from:
        verdict = f"通行证有效期自 {app.travel_from.isoformat()} 起，今天尚未生效"
    elif today > app.travel_to:
        verdict = f"通行证已于 {app.travel_to.isoformat()} 到期"
    else:
        verdict = "通行证有效"
    return render(
        request, "permits/verify.html", {"app": app, "valid": valid, "verdict": verdict, "today": today}
    )


# ── The bridge map: roads and bridges from our own data, no tiles ────────────────────────────────────

MAP_W, MAP_H, MAP_PAD = 760, 520, 30
GRADE_COLOURS = {1: "green", 2: "teal", 3: "amber", 4: "orange", 5: "red"}


@login_required
def bridges(request: AuthedRequest) -> HttpResponse:
    require(request.user, Perm.PERMIT_VIEW)
    network = roads()
    register = list(Bridge.objects.all())
    xy = svgmap.fit([p for r in network.values() for p in r.points], MAP_W, MAP_H, MAP_PAD, 0.01).xy
    lines = [
        {
            "code": r.code,
            "name": r.name,
            "kind": r.kind,
            "points": " ".join(f"{x},{y}" for x, y in map(xy, r.points)),
        }
        for r in network.values()
    ]
    dots = [
        {"bridge": b, "xy": xy((b.lat, b.lon)), "colour": GRADE_COLOURS[b.condition_grade]} for b in register
    ]
    grades = [(g, GRADE_COLOURS[g], sum(b.condition_grade == g for b in register)) for g in GRADE_COLOURS]
    return render(
        request,
        "permits/bridges.html",
        {
            "lines": lines,
            "dots": dots,
            "width": MAP_W,
            "height": MAP_H,
            "grades": grades,
            "count": len(register),
        },
    )


# ── The application form ─────────────────────────────────────────────────────────────────────────────


@login_required
def new(request: AuthedRequest) -> HttpResponse:
    """GET: the form. POST with "check": the automatic check at once, nothing saved. POST with "apply": the
    application accepted (受理) and checked."""
    require(request.user, Perm.PERMIT_HANDLE)
    today: date = timezone.localdate()
    form = ApplicationForm(request.POST or None, initial={"travel_from": today, "travel_to": today})
    checked = None
    if request.method == "POST" and form.is_valid():
        try:
            data = form.application()
            if "apply" in request.POST:
                unit = request.user.org_unit
                if unit is None:
                    raise JiafaError(ErrorCode.FORBIDDEN, "您的账号没有所属单位，不能受理申请")
                app = actions.apply(
                    data, actor=request.user, unit=unit, today=today, ip=audit.client_ip(request)
                )
                messages.success(request, "已受理并完成自动校核")
                return redirect("permits:detail", app_id=app.pk)
            checked = actions.automatic_check(data, today=today).as_dict()
        except JiafaError as e:
            form.add_error(None, e.message)
    return render(request, "permits/new.html", {"form": form, "result": checked})
