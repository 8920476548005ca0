"""Station registry pages (治超站点): the list with a map drawn from the stations' own coordinates, each
station's certificates, findings and statistics; and the leaders' list of follow-ups (一超四罚, 抄告).

A station's flags say whether its records can be evidence today: a valid calibration certificate (law.md §3)
and a published location (行政处罚法 Art. 41), plus whether it has gone silent."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import polars as pl
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncMonth
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiafa.cases.states import LEADERS
from jiafa.core import audit, jurisdiction
from jiafa.core.errors import JiafaError
from jiafa.core.http import AuthedRequest
from jiafa.core.models import AuditEntry
from jiafa.law.book import rulebook
from jiafa.law.calendar import same_day_months_later
from jiafa.overload import followups, lake
from jiafa.overload.models import Calibration, Finding, FollowUp, WimStation
from jiafa.web import svgmap

log = logging.getLogger(__name__)

OUTCOME_LABELS = {"warning": "警告", "fine": "罚款"}
# Overload-rate bands of the statistics: (label, from, below); 100% is the "serious" mark of the rulebook.
BANDS = (
    ("30% 以下", None, Decimal("0.3")),
    ("30%–100%", Decimal("0.3"), Decimal("1")),
    ("100% 及以上", Decimal("1"), None),
)
RECENT_DAYS = 30
STAT_MONTHS = 12


# ── Flags ────────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Flag:
    code: str  # expired / expiring / unpublished / silent
    short: str
    label: str
    level: str  # "bad": records are not evidence; "warn": act soon


@dataclass
class StationState:
    station: WimStation
    cover_until: date | None  # last day of unbroken calibration cover from today; None: none today
    last_seen: datetime | None  # the latest record known (lake or findings)
    findings_recent: int = 0
    flags: list[Flag] = field(default_factory=list)

    @property
    def colour(self) -> str:
        if self.station.status != WimStation.Status.ACTIVE:
            return "off"
        levels = {f.level for f in self.flags}
        return "bad" if "bad" in levels else "warn" if "warn" in levels else "ok"

    @property
    def colour_label(self) -> str:
        return COLOUR_LABELS[self.colour]


COLOUR_LABELS = {
    "ok": "正常",
    "warn": "需关注",
    "bad": "记录不能作为证据",
    "off": "维护或停用",
}


def cover_until(certificates: Iterable[tuple[date, date]], today: date) -> date | None:
    """The last day of unbroken calibration cover starting today, following certificates that continue one
    another; None when no certificate is valid today."""
    end, day = None, today
    for valid_from, valid_to in sorted(certificates):
        if valid_from <= day <= valid_to:
            end, day = valid_to, valid_to + timedelta(days=1)
    return end


def station_flags(
    station: WimStation, cover: date | None, last_seen: datetime | None, today: date, now: datetime
) -> list[Flag]:
    flags = []
    if cover is None:
        flags.append(Flag("expired", "检定失效", "无有效检定证书：当日记录不能作为证据", "bad"))
    elif (cover - today).days <= settings.WIM_CALIBRATION_WARNING_DAYS:
        left = (cover - today).days
        when = "今天" if left == 0 else f" {left} 天后"
        flags.append(Flag("expiring", f"检定{when}到期", f"检定证书{when}到期（{cover:%Y-%m-%d}）", "warn"))
    if station.published_on is None:
        flags.append(Flag("unpublished", "位置未公布", "设置地点未向社会公布：记录不能作为证据", "bad"))
    elif station.published_on > today:
        flags.append(
            Flag(
                "unpublished",
                "位置未公布",
                f"设置地点将于 {station.published_on:%Y-%m-%d} 公布，此前记录不能作为证据",
                "bad",
            )
        )
    silent_since = now - timedelta(hours=settings.WIM_SILENT_HOURS)
    if station.status == WimStation.Status.ACTIVE and (last_seen is None or last_seen < silent_since):
        # The lake is read for the last hours only: "never" and "not lately" look the same.
        last = f"（最近 {timezone.localtime(last_seen):%m-%d %H:%M}）" if last_seen else ""
        label = f"{settings.WIM_SILENT_HOURS} 小时内没有收到记录{last}"
        flags.append(Flag("silent", "无数据", label, "warn"))
    return flags


def lake_last_seen(since: datetime) -> dict[str, datetime]:
    """The latest valid record per station since `since`, from the lake's partitions of the days concerned
    only (two columns read): cheap enough for a page. An unreadable part is logged and ignored."""
    root = settings.DATA_DIR / "lake"
    first = timezone.localtime(since).date()  # partitions are by the China-time day of passed_at
    days = [first + timedelta(days=i) for i in range((timezone.localdate() - first).days + 1)]
    files = [p for day in days for _, p in lake.parts(lake.partition(root, lake.VALID, day.isoformat()))]
    if not files:
        return {}
    try:
        rows = (
            pl.scan_parquet(files)
            .select("station_id", "passed_at")
            .filter(pl.col("passed_at") >= since)
            .group_by("station_id")
            .agg(pl.col("passed_at").max())
            .collect()
        )
    except (pl.exceptions.PolarsError, OSError) as e:
        log.warning("lake unreadable for station activity: %s", e)
        return {}
    return {code: at for code, at in rows.iter_rows()}


def states(stations: list[WimStation], today: date, now: datetime) -> list[StationState]:
    """Flags and counts of many stations in a handful of queries."""
    ids = [s.pk for s in stations]
    certificates: dict[int, list[tuple[date, date]]] = {}
    for station_id, valid_from, valid_to in Calibration.objects.filter(
        station__in=ids, valid_to__gte=today
    ).values_list("station", "valid_from", "valid_to"):
        certificates.setdefault(station_id, []).append((valid_from, valid_to))
    recent = dict(
        Finding.objects.filter(station__in=ids, passed_at__gte=now - timedelta(days=RECENT_DAYS))
        .values("station")
        .annotate(n=Count("id"))
        .values_list("station", "n")
    )
    seen: dict[int, datetime] = dict(
        Finding.objects.filter(station__in=ids)
        .values("station")
        .annotate(last=Max("passed_at"))
        .values_list("station", "last")
    )
    lake = lake_last_seen(now - timedelta(hours=settings.WIM_SILENT_HOURS))
    result = []
    for s in stations:
        last = max((t for t in (seen.get(s.pk), lake.get(s.code)) if t is not None), default=None)
        cover = cover_until(certificates.get(s.pk, []), today)
        state = StationState(s, cover, last, recent.get(s.pk, 0))
        state.flags = station_flags(s, cover, last, today, now)
        result.append(state)
    return result


# ── The map: stations' lat/lon projected onto an SVG, no tiles ───────────────────────────────────────

MAP_W, MAP_H, MAP_PAD = 760, 500, 48
MIN_SPAN_DEG = 0.2  # a single station still gets a few kilometres of context


def station_map(rows: list[StationState]) -> dict[str, Any] | None:
    """The stations' extent with a graticule, a scale bar and a dot per station coloured by its state."""
    if not rows:
        return None
    frame = svgmap.fit([(r.station.lat, r.station.lon) for r in rows], MAP_W, MAP_H, MAP_PAD, MIN_SPAN_DEG)
    return {
        **frame.furniture(),
        "dots": [{"row": r, "x": frame.x(r.station.lon), "y": frame.y(r.station.lat)} for r in rows],
    }


# ── Pages ────────────────────────────────────────────────────────────────────────────────────────────


@login_required
def station_list(request: AuthedRequest) -> HttpResponse:
    today, now = timezone.localdate(), timezone.now()
    stations = jurisdiction.visible(WimStation.objects.select_related("org_unit"), request.user)
    rows = states(list(stations), today, now)
    wanted = request.GET.get("flag", "")
    shown = [r for r in rows if not wanted or any(f.code == wanted for f in r.flags)]
    counts = {code: sum(any(f.code == code for f in r.flags) for r in rows) for code in FLAG_FILTERS}
    return render(
        request,
        "overload/stations.html",
        {
            "rows": shown,
            "total": len(rows),
            "map": station_map(rows),
            "counts": counts,
            "filters": [(code, label, counts[code]) for code, label in FLAG_FILTERS.items()],
            "wanted": wanted,
            "colours": [(c, label, sum(r.colour == c for r in rows)) for c, label in COLOUR_LABELS.items()],
            "warning_days": settings.WIM_CALIBRATION_WARNING_DAYS,
            "silent_hours": settings.WIM_SILENT_HOURS,
            "is_leader": request.user.role in LEADERS,
        },
    )


FLAG_FILTERS = {
    "expired": "检定失效",
    "expiring": "检定将到期",
    "unpublished": "位置未公布",
    "silent": "无数据",
}


def _month_starts(today: date, months: int) -> list[date]:
    first = today.replace(day=1)
    return [same_day_months_later(first, -k) for k in range(months - 1, -1, -1)]


@login_required
def station_detail(request: AuthedRequest, station_id: int) -> HttpResponse:
    station = jurisdiction.get_visible(
        WimStation.objects.select_related("org_unit"), request.user, pk=station_id
    )
    today, now = timezone.localdate(), timezone.now()
    state = states([station], today, now)[0]
    tz = timezone.get_current_timezone()
    findings = Finding.objects.filter(station=station)

    recent = findings.filter(passed_at__gte=now - timedelta(days=RECENT_DAYS))
    by_outcome: dict[str, dict[str, int]] = {o: {} for o in OUTCOME_LABELS}
    for row in recent.values("outcome", "status").annotate(n=Count("id")):
        by_outcome.setdefault(row["outcome"], {})[row["status"]] = row["n"]
    outcome_rows = [
        {
            "label": OUTCOME_LABELS.get(outcome, outcome),
            "cells": [cells.get(s, 0) for s in Finding.Status.values],
            "total": sum(cells.values()),
        }
        for outcome, cells in by_outcome.items()
    ]

    months = _month_starts(today, STAT_MONTHS)
    counted = findings.exclude(status=Finding.Status.DISMISSED).filter(
        passed_at__gte=datetime.combine(months[0], datetime.min.time(), tzinfo=tz)
    )
    per_month = {
        (row["m"].year, row["m"].month): row["n"]
        for row in counted.annotate(m=TruncMonth("passed_at", tzinfo=tz)).values("m").annotate(n=Count("id"))
    }
    month_rows = [(m, per_month.get((m.year, m.month), 0)) for m in months]
    bands = counted.aggregate(
        **{
            f"b{i}": Count(
                "id",
                filter=(Q(overload_rate__gte=lo) if lo is not None else Q())
                & (Q(overload_rate__lt=hi) if hi is not None else Q()),
            )
            for i, (_, lo, hi) in enumerate(BANDS)
        }
    )
    band_rows = [(label, bands[f"b{i}"]) for i, (label, _, _) in enumerate(BANDS)]

    certificates = list(station.calibrations.select_related("certificate").order_by("-valid_to"))
    latest = list(findings.select_related("case").order_by("-passed_at")[:20])
    return render(
        request,
        "overload/stations_detail.html",
        {
            "s": station,
            "state": state,
            "certificates": [(c, _certificate_state(c, today)) for c in certificates],
            "outcome_rows": outcome_rows,
            "statuses": Finding.Status.labels,
            "recent_total": sum(r["total"] for r in outcome_rows),
            "months": _bars(month_rows),
            "bands": _bars(band_rows),
            "stat_total": sum(n for _, n in band_rows),
            "latest": [(f, _evidence_doubts(f, station, certificates)) for f in latest],
            "recent_days": RECENT_DAYS,
        },
    )


def _bars(rows: list[tuple[Any, int]]) -> list[dict[str, Any]]:
    top = max((n for _, n in rows), default=0) or 1
    return [{"label": label, "n": n, "pct": round(100 * n / top)} for label, n in rows]


def _certificate_state(c: Calibration, today: date) -> tuple[str, str]:
    if c.valid_to < today:
        return "bad", "已过期"
    if c.valid_from > today:
        return "", f"{c.valid_from:%Y-%m-%d} 起生效"
    left = (c.valid_to - today).days
    if left <= settings.WIM_CALIBRATION_WARNING_DAYS:
        return "warn", f"有效，{left} 天后到期" if left else "有效，今天到期"
    return "ok", f"有效，剩 {left} 天"


def _evidence_doubts(f: Finding, station: WimStation, certificates: list[Calibration]) -> list[str]:
    """Why a record of this station could not be evidence on its day, if any."""
    day = timezone.localtime(f.passed_at).date()
    doubts = []
    if station.published_on is None or day < station.published_on:
        doubts.append("位置公布前")
    if not any(c.valid_from <= day <= c.valid_to for c in certificates):
        doubts.append("检定有效期外")
    return doubts


# ── Follow-ups (一超四罚、抄告) for leaders ──────────────────────────────────────────────────────────


@login_required
def followup_list(request: AuthedRequest) -> HttpResponse:
    mine = followups.visible_followups(request.user)
    done = request.GET.get("status") == "done"
    rows = mine.filter(status=FollowUp.Status.DONE if done else FollowUp.Status.OPEN)
    by_kind = dict(
        mine.filter(status=FollowUp.Status.OPEN)
        .values("kind")
        .annotate(n=Count("id"))
        .values_list("kind", "n")
    )
    refreshed = AuditEntry.objects.filter(action="followup.refresh").order_by("-seq").first()
    today = timezone.localdate()
    return render(
        request,
        "overload/stations_followups.html",
        {
            "rows": rows.order_by("-done_at" if done else "due")[:200],
            "done": done,
            "kinds": [(kind, label, by_kind.get(kind, 0)) for kind, label in FollowUp.Kind.choices],
            "refreshed": refreshed,
            "today": today,
            "driver_times": rulebook().value("repeat_offence.driver_times", on=today),
        },
    )


@login_required
@require_POST
def followup_done(request: AuthedRequest, followup_id: int) -> HttpResponse:
    try:
        f = followups.complete(
            followup_id, actor=request.user, note=request.POST.get("note", ""), ip=audit.client_ip(request)
        )
    except JiafaError as e:
        if e.status in (403, 404):
            raise
        messages.error(request, e.message)
    else:
        messages.success(request, f"已办结：{f.get_kind_display()}（{f.subject}）")
    return redirect("stations:followups")
