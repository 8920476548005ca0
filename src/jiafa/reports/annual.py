"""The annual rule-of-law report (法治政府建设工作报告): the year's figures, and the report's opening
paragraph regenerated from them in the sentence the bureau sent the city for 2023:

    2023年1-12月，全市共办理行政处罚案件9278起（罚款1万元以上案件579起、停业整顿案件39起，申请法院强制执行
    案件14起，办理行刑衔接案件16起）；办理轻微违法行为首违免罚承诺告知案件1225起；办理非现处罚案件6438起，
    非现处罚案件占全部处罚案件的比重为69.39%。…
"""

from __future__ import annotations

from datetime import date
from typing import Any

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.reports import figures
from jiafa.reports.figures import FIRST_YEAR, Period, Scope

FORMATS = ("json", "docx")
# What the system does not record and the bureau completes by hand in the Word document.
TO_COMPLETE = "相对人不满行政执法决定引发的信访及群体性事件本系统未登记，请核实后填写。"


def period_of(year: Any, *, today: date) -> Period:
    """The year, up to today while it is running. A year before FIRST_YEAR or after this one is refused."""
    try:
        y = int(str(year).strip())
    except (TypeError, ValueError) as e:
        raise JiafaError(ErrorCode.REPORT_PERIOD_INVALID, f"年度“{year}”不是有效的年份") from e
    if not FIRST_YEAR <= y <= today.year:
        raise JiafaError(ErrorCode.REPORT_PERIOD_INVALID, f"年度应在 {FIRST_YEAR} 至 {today.year} 年之间")
    whole = Period.year(y)
    return Period(whole.start, min(whole.end, today))


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise JiafaError(ErrorCode.INVALID_INPUT, f"格式“{fmt}”无效，应为 {' 或 '.join(FORMATS)}")
    return fmt


def where(scope: Scope) -> str:
    """“全市” for the whole bureau, else the unit's short name (海宁市)."""
    return "全市" if scope.is_root else scope.unit.short_name


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.2f}%"


def paragraph(scope: Scope, period: Period, h: dict[str, Any]) -> str:
    large = figures.yuan_label(figures.large_fine_yuan())
    return (
        f"{period.label}，{where(scope)}共办理行政处罚案件{h['penalty']}起（罚款{large}以上案件{h['large_fine']}起、"
        f"停业整顿案件{h['suspension_order']}起，申请法院强制执行案件{h['court_application']}起，"
        f"办理行刑衔接案件{h['criminal_transfer']}起）；"
        f"办理轻微违法行为首违免罚承诺告知案件{h['first_violation_exemption']}起；"
        f"办理非现处罚案件{h['non_site']}起，非现处罚案件占全部处罚案件的比重为{percent(h['non_site_share'])}。"
        + remedies_sentence(h)
    )


def remedies_sentence(h: dict[str, Any]) -> str:
    """The report's sentence on reviews and lawsuits: “未发生…” when there were none."""
    if not h["remedy"]:
        return "未发生行政复议、行政诉讼案件。"
    corrected = f"，其中被撤销、变更或确认违法{h['corrected']}起" if h["corrected"] else "，均未被纠错"
    return f"发生行政复议案件{h['review']}起、行政诉讼案件{h['lawsuit']}起{corrected}。"


def build(scope: Scope, year: Any, *, today: date) -> dict[str, Any]:
    """Everything the report says, as one JSON-ready dictionary."""
    period = period_of(year, today=today)
    found = figures.compute(scope, period, today=today)
    h = found["headline"]
    before = period.previous()
    previous = figures.headline(scope, before, today=today)
    return {
        "year": period.start.year,
        "unit": {"code": scope.unit.code, "name": scope.unit.name, "short_name": scope.unit.short_name},
        "period": {"from": period.start.isoformat(), "to": period.end.isoformat(), "label": period.label},
        "complete_year": period.end == Period.year(period.start.year).end,
        "paragraph": paragraph(scope, period, h),
        "to_complete": [TO_COMPLETE],
        "figures": h,
        "previous": {
            "period": {"from": before.start.isoformat(), "to": before.end.isoformat(), "label": before.label},
            "figures": previous,
        },
        "targets": figures.targets(),
        "large_fine_yuan": figures.large_fine_yuan(),
        "by_month": found["by_month"],
        "breakdowns": found["breakdowns"],
        "overload": found["overload"],
        "repeat_offenders": found["repeat_offenders"],
    }
