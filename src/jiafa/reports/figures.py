"""The bureau's figures (统计数据) for any period and any org unit's subtree, each an SQL aggregate.

Every figure is a named filter (`CASE_FIGURES`, `FINDING_FIGURES`): one filter counts the figure and lists
the records behind it (`case_records`, `finding_records`), so a figure and its drill-down list always agree.

What is counted, and on which date (docs/decisions/0003-reports.md):
- a case counts in the period of its decision (`decided_on`: 决定, 不予处罚 or 移送), a court application
  in the period it was made (`court_applied_on`);
- 行政处罚案件 are the cases decided with a penalty (ordinary and summary procedure); their non-site share is
  the bureau's target (settings.REPORT_NON_SITE_SHARE_TARGET);
- a finding (疑似超限线索) counts in the period its vehicle passed the station (`passed_at`).
"""

from __future__ import annotations

import calendar
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cached_property
from itertools import pairwise
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import (
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    IntegerField,
    Max,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.functions import TruncMonth
from django.urls import reverse

from jiafa.cases.models import Case, Outcome, PenaltyKind, Remedy, Source
from jiafa.cases.watch import overdue_q
from jiafa.core import jurisdiction
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import OrgUnit
from jiafa.core.roles import Perm, require
from jiafa.law.models import ViolationType
from jiafa.overload.models import Finding, WimStation

CHINA = ZoneInfo("Asia/Shanghai")
FIRST_YEAR = 2000  # no bureau has records in this system from before it


# ── Period and scope ─────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Period:
    """A span of whole days, both ends included (China dates)."""

    start: date
    end: date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def parse(cls, start: str | None, end: str | None, *, today: date) -> Period:
        """From query parameters; by default the year so far."""
        try:
            first = date.fromisoformat(start) if start else date(today.year, 1, 1)
            last = date.fromisoformat(end) if end else today
        except ValueError as e:
            raise JiafaError(ErrorCode.REPORT_PERIOD_INVALID, "日期格式应为 YYYY-MM-DD") from e
        if last < first:
            raise JiafaError(ErrorCode.REPORT_PERIOD_INVALID, "统计期间的结束日期早于开始日期")
        if first.year < FIRST_YEAR:
            raise JiafaError(ErrorCode.REPORT_PERIOD_INVALID, f"统计期间不能早于 {FIRST_YEAR} 年")
        return cls(first, last)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Period:
        """The period before, to compare with: the same months of the year before when the period lies
        within one year (同比), else the span of the same length just before."""
        if self.start.year == self.end.year:
            return Period(_year_earlier(self.start), _year_earlier(self.end))
        return Period(self.start - timedelta(days=self.days), self.start - timedelta(days=1))

    @property
    def label(self) -> str:
        s, e = self.start, self.end
        whole_months = s.day == 1 and e.day == calendar.monthrange(e.year, e.month)[1]
        if s.year == e.year and whole_months:
            months = f"{s.month}月" if s.month == e.month else f"{s.month}-{e.month}月"
            return f"{s.year}年{months}"
        if s.year == e.year:
            return f"{s.year}年{s.month}月{s.day}日至{e.month}月{e.day}日"
        return f"{s.year}年{s.month}月{s.day}日至{e.year}年{e.month}月{e.day}日"

    def bounds(self) -> tuple[datetime, datetime]:
        """The period as aware instants [start, end) for datetime columns."""
        return (
            datetime.combine(self.start, time.min, CHINA),
            datetime.combine(self.end + timedelta(days=1), time.min, CHINA),
        )

    def query(self) -> dict[str, str]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat()}


def _year_earlier(day: date) -> date:
    last = calendar.monthrange(day.year - 1, day.month)[1]
    return date(day.year - 1, day.month, min(day.day, last))


@dataclass(frozen=True)
class Scope:
    """An org unit's subtree: the records the figures count."""

    unit: OrgUnit

    @property
    def is_root(self) -> bool:
        return self.unit.parent_id is None

    @cached_property
    def units(self) -> list[OrgUnit]:
        return list(self.unit.subtree().order_by("path"))

    def cases(self) -> QuerySet[Case]:
        # The subtree's ids (tens of units), so the figures' queries need no join to the unit table.
        return Case.objects.filter(org_unit_id__in=[u.pk for u in self.units])

    def findings(self) -> QuerySet[Finding]:
        return Finding.objects.filter(org_unit_id__in=[u.pk for u in self.units])

    def query(self) -> dict[str, str]:
        return {"unit": self.unit.code}


def scope_for(user: Any, unit_code: str | None = None) -> Scope:
    """The scope a person may see figures for: their own unit, or a unit inside their jurisdiction."""
    require(user, Perm.REPORT_VIEW)
    if not unit_code:
        return Scope(user.org_unit)
    unit = jurisdiction.units(user).filter(code=unit_code).first()
    if unit is None:
        raise JiafaError(ErrorCode.NOT_FOUND, "该单位不存在或不在您的辖区内")
    return Scope(unit)


def scope_of(unit_code: str | None) -> Scope:
    """For the command line, run by the bureau's operator: any unit, by default the root of the tree."""
    unit = (
        OrgUnit.objects.filter(code=unit_code).first()
        if unit_code
        else OrgUnit.objects.filter(parent=None).order_by("sort_order", "code").first()
    )
    if unit is None:
        raise JiafaError(
            ErrorCode.NOT_FOUND, f"没有机构代码为“{unit_code}”的单位" if unit_code else "尚未载入组织机构"
        )
    return Scope(unit)


# ── Named figures: one filter each ────────────────────────────────────────────────────────────────────────


def large_fine_yuan() -> int:
    return int(settings.REPORT_LARGE_FINE_YUAN)


def yuan_label(yuan: int) -> str:
    """10000 → "1万元", 5000 → "5000元": the way the report writes amounts."""
    return f"{yuan // 10000}万元" if yuan >= 10000 and yuan % 10000 == 0 else f"{yuan}元"


def _decided(p: Period) -> Q:
    return Q(decided_on__gte=p.start, decided_on__lte=p.end)


def _penalty(p: Period) -> Q:
    return _decided(p) & Q(outcome=Outcome.PENALTY)


CORRECTED = (Remedy.Result.REVOKED, Remedy.Result.CHANGED, Remedy.Result.ILLEGAL)


def _remedy(p: Period, kind: str | None = None) -> Q:
    """Cases whose party applied for review or sued in the period (by the day it was brought)."""
    q = Q(remedies__filed_on__gte=p.start, remedies__filed_on__lte=p.end)
    return q & Q(remedies__kind=kind) if kind else q


@dataclass(frozen=True)
class Figure:
    key: str
    label: Callable[[], str]
    q: Callable[[Period], Q]
    unit: str = "起"


CASE_FIGURES: dict[str, Figure] = {
    f.key: f
    for f in (
        Figure("decided", lambda: "作出处理决定的案件", _decided),
        Figure("penalty", lambda: "行政处罚案件", _penalty),
        Figure(
            "large_fine",
            lambda: f"罚款{yuan_label(large_fine_yuan())}以上案件",
            lambda p: _penalty(p) & Q(fine_yuan__gte=large_fine_yuan()),
        ),
        Figure(
            "suspension_order",
            lambda: "停业整顿案件",
            lambda p: _penalty(p) & Q(penalty_kinds__icontains=PenaltyKind.SUSPENSION_ORDER.value),
        ),
        Figure(
            "court_application",
            lambda: "申请法院强制执行案件",
            lambda p: Q(court_applied_on__gte=p.start, court_applied_on__lte=p.end),
        ),
        Figure(
            "criminal_transfer",
            lambda: "行刑衔接案件",
            lambda p: _decided(p) & Q(outcome=Outcome.CRIMINAL_TRANSFER),
        ),
        Figure(
            "first_violation_exemption",
            lambda: "首违免罚承诺告知案件",
            lambda p: _decided(p) & Q(outcome=Outcome.FIRST_VIOLATION_EXEMPTION),
        ),
        Figure("non_site", lambda: "非现场处罚案件", lambda p: _penalty(p) & Q(source=Source.NON_SITE)),
        Figure("review", lambda: "行政复议案件", lambda p: _remedy(p, Remedy.Kind.REVIEW)),
        Figure("lawsuit", lambda: "行政诉讼案件", lambda p: _remedy(p, Remedy.Kind.LAWSUIT)),
        Figure("remedy", lambda: "行政复议、行政诉讼案件", lambda p: _remedy(p)),
        Figure(
            "corrected",
            lambda: "复议、诉讼中被撤销、变更或确认违法的案件",
            lambda p: Q(
                remedies__result__in=CORRECTED,
                remedies__decided_on__gte=p.start,
                remedies__decided_on__lte=p.end,
            ),
        ),
        Figure(
            "with_deadline",
            lambda: "有办案期限的决定案件",
            lambda p: _decided(p) & Q(decision_due__isnull=False),
        ),
        Figure(
            "on_time",
            lambda: "按期作出决定的案件",
            lambda p: _decided(p) & Q(decision_due__isnull=False, decided_on__lte=F("decision_due")),
        ),
        Figure(
            "late",
            lambda: "超过办案期限作出决定的案件",
            lambda p: _decided(p) & Q(decision_due__isnull=False, decided_on__gt=F("decision_due")),
        ),
    )
}


def _band_edges() -> tuple[float, ...]:
    return tuple(float(b) for b in settings.REPORT_OVERLOAD_BANDS)


def band_labels() -> list[str]:
    """ "≤10%", "10%–30%", …, ">100%"."""
    edges = _band_edges()
    labels = [f"≤{edges[0]:.0%}"]
    labels += [f"{lo:.0%}–{hi:.0%}" for lo, hi in pairwise(edges)]
    return [*labels, f">{edges[-1]:.0%}"]


def _band_q(band: int) -> Q:
    edges = _band_edges()
    q = Q()
    if band > 0:
        q &= Q(overload_rate__gt=edges[band - 1])
    if band < len(edges):
        q &= Q(overload_rate__lte=edges[band])
    return q


def _passed(p: Period) -> Q:
    start, end = p.bounds()
    return Q(passed_at__gte=start, passed_at__lt=end)


FINDING_FIGURES: dict[str, Figure] = {
    f.key: f
    for f in (
        Figure("findings", lambda: "疑似超限线索", _passed, "条"),
        Figure(
            "confirmed",
            lambda: "初审确认的线索",
            lambda p: _passed(p) & Q(status=Finding.Status.CONFIRMED),
            "条",
        ),
        Figure(
            "dismissed",
            lambda: "初审排除的线索",
            lambda p: _passed(p) & Q(status=Finding.Status.DISMISSED),
            "条",
        ),
        Figure(
            "pending", lambda: "待初审的线索", lambda p: _passed(p) & Q(status=Finding.Status.PENDING), "条"
        ),
        Figure("hundred_tonne", lambda: "百吨王", lambda p: _passed(p) & Q(hundred_tonne=True), "辆次"),
        Figure("serious", lambda: "严重超限", lambda p: _passed(p) & Q(serious=True), "辆次"),
    )
}

# Narrowing a figure to one row of a breakdown (the drill-down of a table cell): parameter → filter.
CASE_EXTRAS: dict[str, Callable[[str], Q]] = {
    "source": lambda v: Q(source=v),
    "violation": lambda v: Q(violation_code=v),
    "officer": lambda v: Q(officers__username=v),
    "outcome": lambda v: Q(outcome=v),
    "month": lambda v: Q(decided_on__year=int(v[:4]), decided_on__month=int(v[5:7])),
    "within": lambda v: Q(org_unit__path__contains=f"/{v}/"),
    "party": lambda v: Q(party_id_no=v),
}
FINDING_EXTRAS: dict[str, Callable[[str], Q]] = {
    "station": lambda v: Q(station__code=v),
    "axles": lambda v: Q(axles=int(v)),
    "band": lambda v: _band_q(int(v)),
    "plate": lambda v: Q(plate=v),
    "month": lambda v: Q(passed_at__year=int(v[:4]), passed_at__month=int(v[5:7])),
    "within": lambda v: Q(org_unit__path__contains=f"/{v}/"),
}


def _extras(table: dict[str, Callable[[str], Q]], extras: dict[str, str]) -> Q:
    q = Q()
    try:
        for key, value in extras.items():
            if key in table and value:
                q &= table[key](value)
    except (ValueError, IndexError) as e:
        raise JiafaError(ErrorCode.INVALID_INPUT, "筛选条件格式不对") from e
    return q


REMEDY_FIGURES = ("review", "lawsuit", "remedy", "corrected")


def case_records(scope: Scope, period: Period, figure: str, **extras: str) -> QuerySet[Case]:
    if figure == "overdue":
        return scope.cases().filter(overdue_q(period.end))
    if figure not in CASE_FIGURES:
        raise JiafaError(ErrorCode.NOT_FOUND, f"没有“{figure}”这项统计")
    qs = scope.cases().filter(CASE_FIGURES[figure].q(period) & _extras(CASE_EXTRAS, extras))
    return qs.distinct() if extras.get("officer") or figure in REMEDY_FIGURES else qs


def finding_records(scope: Scope, period: Period, figure: str, **extras: str) -> QuerySet[Finding]:
    if figure not in FINDING_FIGURES:
        raise JiafaError(ErrorCode.NOT_FOUND, f"没有“{figure}”这项统计")
    return scope.findings().filter(FINDING_FIGURES[figure].q(period) & _extras(FINDING_EXTRAS, extras))


def records_url(kind: str, scope: Scope, period: Period, figure: str, **extras: Any) -> str:
    params = {"figure": figure} | scope.query() | period.query() | {k: str(v) for k, v in extras.items()}
    return reverse(f"reports:{kind}") + "?" + urlencode(params)


# ── Computing the figures ────────────────────────────────────────────────────────────────────────────────


# Two grouped queries carry almost every figure: the period's decided cases grouped by month, source,
# violation, outcome and unit, and its findings grouped by month, station, axles and overload band. The
# figures are sums over those groups (hundreds, not records), so a province-scale year is read once per table.


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.astimezone(CHINA).date() if value.tzinfo else value.date()
    return value


def case_groups(scope: Scope, period: Period) -> list[dict[str, Any]]:
    large = large_fine_yuan()
    penalty = Q(outcome=Outcome.PENALTY)
    rows = (
        scope.cases()
        .filter(_decided(period))
        .annotate(m=TruncMonth("decided_on"))
        .values("m", "source", "violation_code", "outcome", "org_unit_id")
        .annotate(
            n=Count("id"),
            fines_yuan=Sum("fine_yuan", filter=penalty),
            large_fine=Count("id", filter=penalty & Q(fine_yuan__gte=large)),
            suspension_order=Count(
                "id", filter=penalty & Q(penalty_kinds__icontains=PenaltyKind.SUSPENSION_ORDER.value)
            ),
            with_deadline=Count("id", filter=Q(decision_due__isnull=False)),
            on_time=Count("id", filter=Q(decision_due__isnull=False, decided_on__lte=F("decision_due"))),
            handled=Count("id", filter=Q(filed_on__isnull=False)),
            handling=Sum(
                ExpressionWrapper(F("decided_on") - F("filed_on"), output_field=DurationField()),
                filter=Q(filed_on__isnull=False),
            ),
        )
        .order_by()
    )
    return [dict(r) | {"m": _day(r["m"])} for r in rows]


def finding_groups(scope: Scope, period: Period) -> list[dict[str, Any]]:
    edges = _band_edges()
    band = SqlCase(
        *[When(_band_q(i), then=Value(i)) for i in range(len(edges))],
        default=Value(len(edges)),
        output_field=IntegerField(),
    )
    rows = (
        scope.findings()
        .filter(_passed(period))
        .annotate(m=TruncMonth("passed_at", tzinfo=CHINA), band=band)
        .values("m", "station_id", "axles", "band")
        .annotate(
            n=Count("id"),
            confirmed=Count("id", filter=Q(status=Finding.Status.CONFIRMED)),
            dismissed=Count("id", filter=Q(status=Finding.Status.DISMISSED)),
            pending=Count("id", filter=Q(status=Finding.Status.PENDING)),
            hundred_tonne=Count("id", filter=Q(hundred_tonne=True)),
            serious=Count("id", filter=Q(serious=True)),
            max_rate=Max("overload_rate"),
        )
        .order_by()
    )
    return [dict(r) | {"m": _day(r["m"])} for r in rows]


def _total(groups: list[dict[str, Any]], key: str, **where: Any) -> int:
    return sum(g[key] or 0 for g in groups if all(g[k] == v for k, v in where.items()))


def headline(
    scope: Scope,
    period: Period,
    *,
    today: date,
    cases: list[dict[str, Any]] | None = None,
    found: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """The report's opening figures and the ones leaders watch beside them."""
    g = case_groups(scope, period) if cases is None else cases
    p = Outcome.PENALTY.value
    counts: dict[str, Any] = {
        "decided": _total(g, "n"),
        "penalty": _total(g, "n", outcome=p),
        "large_fine": _total(g, "large_fine"),
        "suspension_order": _total(g, "suspension_order"),
        "court_application": scope.cases().filter(CASE_FIGURES["court_application"].q(period)).count(),
        "criminal_transfer": _total(g, "n", outcome=Outcome.CRIMINAL_TRANSFER.value),
        "first_violation_exemption": _total(g, "n", outcome=Outcome.FIRST_VIOLATION_EXEMPTION.value),
        "non_site": _total(g, "n", outcome=p, source=Source.NON_SITE.value),
        "with_deadline": _total(g, "with_deadline"),
        "on_time": _total(g, "on_time"),
        "fines_yuan": _total(g, "fines_yuan"),
    }
    counts["late"] = counts["with_deadline"] - counts["on_time"]
    handled = _total(g, "handled")
    days = sum((r["handling"] or timedelta()).total_seconds() for r in g) / 86400
    counts["avg_handling_days"] = round(days / handled, 1) if handled else None
    counts["non_site_share"] = share(counts["non_site"], counts["penalty"])
    counts["deadline_compliance"] = share(counts["on_time"], counts["with_deadline"])
    # Open cases past a deadline now (or, for a past period, at its end): what leaders chase.
    counts["overdue"] = scope.cases().filter(overdue_q(min(today, period.end))).count()
    # Reviews and lawsuits brought against decisions (a case counts once, whatever it had brought against it).
    for key in REMEDY_FIGURES:
        counts[key] = scope.cases().filter(CASE_FIGURES[key].q(period)).distinct().count()
    counts.update(overload_totals(scope, period, found))
    return counts


def overload_totals(
    scope: Scope, period: Period, found: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    g = finding_groups(scope, period) if found is None else found
    totals: dict[str, Any] = {key: _total(g, "n" if key == "findings" else key) for key in FINDING_FIGURES}
    rates = [r["max_rate"] for r in g if r["max_rate"] is not None]
    totals["max_overload_rate"] = float(max(rates)) if rates else None
    return totals


def targets() -> dict[str, float]:
    return {
        "non_site_share": float(settings.REPORT_NON_SITE_SHARE_TARGET),
        "deadline_compliance": float(settings.REPORT_DEADLINE_COMPLIANCE_TARGET),
    }


def _ranked(groups: list[dict[str, Any]], key: str, labels: dict[Any, str]) -> list[dict[str, Any]]:
    counts: dict[Any, int] = {}
    for g in groups:
        counts[g[key]] = counts.get(g[key], 0) + g["n"]
    order = sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))
    return [{"key": k, "label": labels.get(k, str(k)), "n": n} for k, n in order if k not in (None, "")]


def violation_names() -> dict[Any, str]:
    names: dict[Any, str] = {}
    for code, name in ViolationType.objects.order_by("code", "version").values_list("code", "name"):
        names[code] = name  # the latest version's name wins
    return names


def by_unit(scope: Scope, groups: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Penalty cases per unit one level down (each with its own subtree), and those of the scope unit itself.
    A level with a single unit (the bureau above its one detachment) is looked through to the next."""
    chain, children = [scope.unit], [u for u in scope.units if u.parent_id == scope.unit.pk]
    while len(children) == 1:
        chain.append(children[0])
        children = [u for u in scope.units if u.parent_id == children[0].pk]
    under = {c.pk: {u.pk for u in scope.units if u.path.startswith(c.path)} for c in children}
    penalty = [g for g in groups if g["outcome"] == Outcome.PENALTY]
    rows = [
        {
            "key": c.code,
            "label": c.short_name,
            "n": sum(g["n"] for g in penalty if g["org_unit_id"] in under[c.pk]),
        }
        for c in sorted(children, key=lambda u: (u.sort_order, u.code))
    ]
    own = sum(g["n"] for g in penalty if g["org_unit_id"] in {u.pk for u in chain})
    if own or not children:
        rows.insert(0, {"key": "", "label": f"{scope.unit.short_name}（本级）", "n": own})
    return rows


def months(period: Period) -> list[date]:
    first, found = date(period.start.year, period.start.month, 1), []
    while first <= period.end:
        found.append(first)
        first = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return found


def by_month(
    scope: Scope,
    period: Period,
    cases: list[dict[str, Any]] | None = None,
    found: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """Penalty cases, non-site cases and fines per month of decision, and findings per month of passing."""
    g = case_groups(scope, period) if cases is None else cases
    f = finding_groups(scope, period) if found is None else found
    p, ns = Outcome.PENALTY.value, Source.NON_SITE.value
    return [
        {
            "month": f"{m:%Y-%m}",
            "label": f"{m.month}月",
            "penalty": _total(g, "n", m=m, outcome=p),
            "non_site": _total(g, "n", m=m, outcome=p, source=ns),
            "fines_yuan": _total(g, "fines_yuan", m=m),
            "findings": _total(f, "n", m=m),
        }
        for m in months(period)
    ]


def breakdowns(
    scope: Scope, period: Period, cases: list[dict[str, Any]] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Penalty cases by source, violation, unit and officer; decided cases by outcome."""
    g = case_groups(scope, period) if cases is None else cases
    penalty = [r for r in g if r["outcome"] == Outcome.PENALTY]
    officers = (
        scope.cases()
        .filter(_penalty(period))
        .values("officers__username", "officers__full_name")
        .annotate(n=Count("id"))  # one row per case and officer: the pair is unique
        .order_by("-n", "officers__username")
    )
    return {
        "source": _ranked(penalty, "source", dict(Source.choices)),
        "violation": _ranked(penalty, "violation_code", violation_names()),
        "unit": by_unit(scope, g),
        "officer": [
            {
                "key": r["officers__username"],
                "label": r["officers__full_name"] or r["officers__username"],
                "n": r["n"],
            }
            for r in officers
            if r["officers__username"]
        ],
        "outcome": _ranked(g, "outcome", dict(Outcome.choices)),
    }


def overload_breakdowns(
    scope: Scope, period: Period, found: list[dict[str, Any]] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """Findings by station (with its position, for the map), axle count and overload band."""
    g = finding_groups(scope, period) if found is None else found
    stations = {s.pk: s for s in WimStation.objects.filter(pk__in={r["station_id"] for r in g})}
    per_station: list[dict[str, Any]] = []
    for pk, station in stations.items():
        mine = [r for r in g if r["station_id"] == pk]
        per_station.append(
            {
                "key": station.code,
                "label": station.name,
                "lat": station.lat,
                "lon": station.lon,
                "n": _total(mine, "n"),
                "confirmed": _total(mine, "confirmed"),
                "hundred_tonne": _total(mine, "hundred_tonne"),
            }
        )
    per_station.sort(key=lambda r: (-r["n"], r["key"]))
    axles = sorted(_ranked(g, "axles", {}), key=lambda r: r["key"])
    return {
        "station": per_station,
        "axles": [r | {"label": f"{r['key']}轴"} for r in axles],
        "band": [
            {"key": i, "label": label, "n": _total(g, "n", band=i)} for i, label in enumerate(band_labels())
        ],
    }


def repeat_offenders(scope: Scope, period: Period) -> dict[str, list[dict[str, Any]]]:
    """Vehicles with the most findings and companies with the most penalty cases in the period."""
    top, least = int(settings.REPORT_TOP_OFFENDERS), int(settings.REPORT_REPEAT_MIN)
    plates = (
        scope.findings()
        .filter(_passed(period))
        .values("plate", "plate_color")
        .annotate(n=Count("id"), worst=Max("overload_rate"))
        .filter(n__gte=least)
        .order_by("-n", "-worst", "plate")[:top]
    )
    companies = (
        scope.cases()
        .filter(_penalty(period), party_kind="organisation")
        .values("party_id_no")
        .annotate(n=Count("id"), name=Max("party_name"), fines_yuan=Sum("fine_yuan"))
        .filter(n__gte=least)
        .order_by("-n", "-fines_yuan", "party_id_no")[:top]
    )
    return {
        "plates": [
            {
                "key": r["plate"],
                "label": f"{r['plate']}（{r['plate_color']}）",
                "n": r["n"],
                "worst_rate": float(r["worst"]),
            }
            for r in plates
        ],
        "companies": [
            {"key": r["party_id_no"], "label": r["name"], "n": r["n"], "fines_yuan": r["fines_yuan"] or 0}
            for r in companies
        ],
    }


@contextmanager
def _reporting() -> Iterator[None]:
    """On PostgreSQL the grouped queries get the memory to hash their groups instead of sorting a year of rows
    on disk (settings.REPORT_PG_WORK_MEM, for this transaction only)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('work_mem', %s, true)", [settings.REPORT_PG_WORK_MEM])
        yield


def compute(scope: Scope, period: Period, *, today: date) -> dict[str, Any]:
    """Everything the dashboard and the annual report show for a period, each table read once."""
    with _reporting():
        return _compute(scope, period, today=today)


def _compute(scope: Scope, period: Period, *, today: date) -> dict[str, Any]:
    cases, found = case_groups(scope, period), finding_groups(scope, period)
    return {
        "headline": headline(scope, period, today=today, cases=cases, found=found),
        "by_month": by_month(scope, period, cases, found),
        "breakdowns": breakdowns(scope, period, cases),
        "overload": overload_breakdowns(scope, period, found),
        "repeat_offenders": repeat_offenders(scope, period),
    }
