"""Leaders' pages: the dashboard (领导驾驶舱), the lists behind each figure with their exports, the annual
report as a Word document, and exports of the case list. Thin: the figures come from figures.py."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header

from jiafa.cases.api import CaseFilters, filtered, visible_cases
from jiafa.cases.models import Outcome, Source
from jiafa.core import jurisdiction
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.http import AuthedRequest
from jiafa.core.roles import Perm, require
from jiafa.overload import review
from jiafa.overload.api import filter_findings
from jiafa.overload.schemas import FindingFilters
from jiafa.reports import annual, document, exports, figures
from jiafa.reports.figures import Period, Scope

PAGE_SIZE = 50
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _scope_period(request: AuthedRequest) -> tuple[Scope, Period]:
    scope = figures.scope_for(request.user, request.GET.get("unit") or None)
    period = Period.parse(request.GET.get("from"), request.GET.get("to"), today=timezone.localdate())
    return scope, period


def _card(
    key: str,
    label: str,
    now: Any,
    before: Any,
    *,
    url: str | None,
    kind: str = "count",
    target: float | None = None,
) -> dict[str, Any]:
    card: dict[str, Any] = {
        "key": key,
        "label": label,
        "value": now,
        "previous": before,
        "url": url,
        "kind": kind,
    }
    if isinstance(now, int | float) and isinstance(before, int | float):
        card["change"] = now - before
    if target is not None and now is not None:
        card["target"] = target
        card["meets"] = now >= target
    return card


def _cards(scope: Scope, period: Period, h: dict[str, Any], p: dict[str, Any]) -> list[dict[str, Any]]:
    def url(figure: str, kind: str = "cases") -> str:
        return figures.records_url(kind, scope, period, figure)

    targets = figures.targets()
    large = f"罚款{figures.yuan_label(figures.large_fine_yuan())}以上"
    return [
        _card("penalty", "行政处罚案件", h["penalty"], p["penalty"], url=url("penalty")),
        _card(
            "non_site_share",
            "非现场处罚占比",
            h["non_site_share"],
            p["non_site_share"],
            url=url("non_site"),
            kind="share",
            target=targets["non_site_share"],
        ),
        _card("non_site", "非现场处罚案件", h["non_site"], p["non_site"], url=url("non_site")),
        _card("large_fine", large, h["large_fine"], p["large_fine"], url=url("large_fine")),
        _card(
            "suspension_order",
            "停业整顿",
            h["suspension_order"],
            p["suspension_order"],
            url=url("suspension_order"),
        ),
        _card(
            "court_application",
            "申请法院强制执行",
            h["court_application"],
            p["court_application"],
            url=url("court_application"),
        ),
        _card(
            "criminal_transfer",
            "行刑衔接",
            h["criminal_transfer"],
            p["criminal_transfer"],
            url=url("criminal_transfer"),
        ),
        _card(
            "first_violation_exemption",
            "首违免罚",
            h["first_violation_exemption"],
            p["first_violation_exemption"],
            url=url("first_violation_exemption"),
        ),
        _card(
            "fines_yuan", "罚款金额（元）", h["fines_yuan"], p["fines_yuan"], url=url("penalty"), kind="yuan"
        ),
        _card(
            "deadline_compliance",
            "按期决定率",
            h["deadline_compliance"],
            p["deadline_compliance"],
            url=url("late"),
            kind="share",
            target=targets["deadline_compliance"],
        ),
        _card(
            "avg_handling_days",
            "平均办案天数",
            h["avg_handling_days"],
            p["avg_handling_days"],
            url=None,
            kind="days",
        ),
        _card("overdue", "逾期案件（当前）", h["overdue"], None, url=url("overdue")),
        _card("findings", "疑似超限线索", h["findings"], p["findings"], url=url("findings", "findings")),
        _card(
            "hundred_tonne",
            "百吨王",
            h["hundred_tonne"],
            p["hundred_tonne"],
            url=url("hundred_tonne", "findings"),
        ),
        _card("remedy", "行政复议、诉讼", h["remedy"], p["remedy"], url=url("remedy")),
        _card("corrected", "复议诉讼被纠错", h["corrected"], p["corrected"], url=url("corrected")),
    ]


def _linked(
    rows: list[dict[str, Any]], scope: Scope, period: Period, kind: str, figure: str, param: str
) -> list[dict[str, Any]]:
    for r in rows:
        key = r.get("key")
        r["url"] = (
            figures.records_url(kind, scope, period, figure, **{param: key})
            if key not in (None, "")
            else None
        )
    return rows


def _charts(
    by_month: list[dict[str, Any]], over: dict[str, list[dict[str, Any]]], parts: dict[str, Any]
) -> dict[str, Any]:
    """The data plotly draws; the figures behind every bar are in the tables next to it."""
    return {
        "months": [r["label"] for r in by_month],
        "penalty": [r["penalty"] for r in by_month],
        "non_site": [r["non_site"] for r in by_month],
        "findings": [r["findings"] for r in by_month],
        "share": [round(r["non_site"] / r["penalty"] * 100, 2) if r["penalty"] else None for r in by_month],
        "target": round(figures.targets()["non_site_share"] * 100, 2),
        "stations": [
            {
                "name": s["label"],
                "code": s["key"],
                "lat": s["lat"],
                "lon": s["lon"],
                "n": s["n"],
                "url": s["url"],
            }
            for s in over["station"]
        ],
        "bands": {"labels": [b["label"] for b in over["band"]], "n": [b["n"] for b in over["band"]]},
        "sources": {"labels": [r["label"] for r in parts["source"]], "n": [r["n"] for r in parts["source"]]},
    }


@login_required
def dashboard(request: AuthedRequest) -> HttpResponse:
    scope, period = _scope_period(request)
    today = timezone.localdate()
    found = figures.compute(scope, period, today=today)
    h, parts, over = found["headline"], found["breakdowns"], found["overload"]
    before = period.previous()
    p = figures.headline(scope, before, today=today)
    for name, param in (
        ("source", "source"),
        ("violation", "violation"),
        ("unit", "within"),
        ("officer", "officer"),
    ):
        _linked(parts[name], scope, period, "cases", "penalty", param)
    _linked(parts["outcome"], scope, period, "cases", "decided", "outcome")
    _linked(over["station"], scope, period, "findings", "findings", "station")
    _linked(over["band"], scope, period, "findings", "findings", "band")
    _linked(over["axles"], scope, period, "findings", "findings", "axles")
    offenders = found["repeat_offenders"]
    _linked(offenders["plates"], scope, period, "findings", "findings", "plate")
    _linked(offenders["companies"], scope, period, "cases", "penalty", "party")
    by_month = found["by_month"]
    for r in by_month:
        r["url"] = figures.records_url("cases", scope, period, "penalty", month=r["month"])
    return render(
        request,
        "reports/dashboard.html",
        {
            "scope": scope,
            "period": period,
            "previous": before,
            "cards": _cards(scope, period, h, p),
            "paragraph": annual.paragraph(scope, period, h),
            "parts": parts,
            "over": over,
            "offenders": offenders,
            "by_month": by_month,
            "charts": _charts(by_month, over, parts),
            "units": jurisdiction.units(request.user),
            "report_year": period.end.year,
            "targets": figures.targets(),
        },
    )


def _extras(params: QueryDict, table: dict[str, Any]) -> dict[str, str]:
    return {k: str(params.get(k)) for k in table if params.get(k)}


def _narrowed(scope: Scope, extras: dict[str, str]) -> list[str]:
    """The breakdown row a list was opened from, in words: “案源：非现场执法”."""
    names: dict[str, tuple[str, dict[Any, str]]] = {
        "source": ("案源", dict(Source.choices)),
        "outcome": ("处理结果", dict(Outcome.choices)),
        "band": ("超限率", dict(enumerate(figures.band_labels()))),
        "violation": ("违法行为", {}),
        "officer": ("执法人员", {}),
        "month": ("月份", {}),
        "within": ("单位", {u.code: u.short_name for u in scope.units}),
        "party": ("当事人证件号", {}),
        "station": ("站点", {}),
        "axles": ("轴数", {}),
        "plate": ("车牌", {}),
    }
    texts = []
    for key, value in extras.items():
        title, labels = names[key]
        shown = labels.get(int(value) if key == "band" and value.isdigit() else value, value)
        texts.append(f"{title}：{shown}")
    return texts


def _records(request: AuthedRequest, kind: str) -> HttpResponse:
    scope, period = _scope_period(request)
    figure = request.GET.get("figure") or ("penalty" if kind == "cases" else "findings")
    if kind == "cases":
        extras = _extras(request.GET, figures.CASE_EXTRAS)
        qs: Any = figures.case_records(scope, period, figure, **extras)
        label = "逾期案件" if figure == "overdue" else figures.CASE_FIGURES[figure].label()
    else:
        extras = _extras(request.GET, figures.FINDING_EXTRAS)
        qs = figures.finding_records(scope, period, figure, **extras)
        label = figures.FINDING_FIGURES[figure].label()
    fmt = request.GET.get("export")
    title = f"{scope.unit.short_name}{period.label}{label}"
    if fmt:
        header, rows = exports.case_rows(qs) if kind == "cases" else exports.finding_rows(qs)
        return exports.response(title, header, rows, exports.check_format(fmt))
    ordered = (
        qs.select_related("org_unit").order_by("-decided_on", "-id")
        if kind == "cases"
        else qs.select_related("station", "org_unit").order_by("-passed_at", "-id")
    )
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        f"reports/{kind}.html",
        {
            "page": page,
            "title": title,
            "label": label,
            "scope": scope,
            "period": period,
            "narrowed": _narrowed(scope, extras),
            "query": query.urlencode(),
            "back": f"?unit={scope.unit.code}&from={period.start}&to={period.end}",
        },
    )


@login_required
def case_records(request: AuthedRequest) -> HttpResponse:
    return _records(request, "cases")


@login_required
def finding_records(request: AuthedRequest) -> HttpResponse:
    return _records(request, "findings")


@login_required
def annual_docx(request: AuthedRequest) -> HttpResponse:
    scope = figures.scope_for(request.user, request.GET.get("unit") or None)
    report = annual.build(scope, request.GET.get("year", ""), today=timezone.localdate())
    resp = HttpResponse(document.render(report), content_type=DOCX)
    name = f"{scope.unit.short_name}{report['year']}年法治政府建设工作报告.docx"
    resp["Content-Disposition"] = content_disposition_header(True, name)
    return resp


@login_required
def case_list_export(request: AuthedRequest) -> HttpResponse:
    """The case list (/cases/) with its filters, as a file: whoever may see the list may export it."""
    fmt = exports.check_format(request.GET.get("export", "xlsx"))
    params = {k: v for k, v in request.GET.items() if v and k in CaseFilters.model_fields}
    try:
        filters = CaseFilters.model_validate(params)
    except ValueError as e:
        raise JiafaError(ErrorCode.INVALID_INPUT, "筛选条件格式不对") from e
    qs = filtered(visible_cases(request.user), filters, timezone.localdate())
    header, rows = exports.case_rows(qs)
    return exports.response(f"案件清单{timezone.localdate():%Y%m%d}", header, rows, fmt)


@login_required
def finding_list_export(request: AuthedRequest) -> HttpResponse:
    """Findings with the review queue's filters (status, station, plate, from, to, flag) as a file."""
    fmt = exports.check_format(request.GET.get("export", "xlsx"))
    require(request.user, Perm.FINDING_VIEW)
    params = {k: v for k, v in request.GET.items() if v and k in ("status", "station", "plate", "from", "to")}
    try:
        filters = FindingFilters.model_validate(params)
    except ValueError as e:
        raise JiafaError(ErrorCode.INVALID_INPUT, "筛选条件格式不对") from e
    qs = filter_findings(review.visible_findings(request.user), filters)
    flag = request.GET.get("flag", "")
    if flag in ("hundred_tonne", "serious"):
        qs = qs.filter(**{flag: True})
    header, rows = exports.finding_rows(qs)
    return exports.response(f"疑似超限线索{timezone.localdate():%Y%m%d}", header, rows, fmt)
