"""Any list as an Excel workbook (.xlsx, openpyxl) or CSV (UTF-8 with a byte-order mark, so that Excel opens
Chinese text correctly). The columns of case and finding lists are defined once here."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook

from jiafa.cases.models import Case, Outcome, Source
from jiafa.cases.states import CaseStatus
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.overload.models import Finding

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


@dataclass(frozen=True)
class Column:
    title: str
    value: Callable[[Any], Any]


def _local(at: datetime | None) -> str:
    return timezone.localtime(at).strftime("%Y-%m-%d %H:%M") if at else ""


CASE_COLUMNS = (
    Column("案号", lambda c: c.number),
    Column("状态", lambda c: CaseStatus(c.status).label),
    Column("承办单位", lambda c: c.org_unit.short_name),
    Column("案源", lambda c: Source(c.source).label),
    Column("程序", lambda c: c.get_procedure_display()),
    Column("违法行为编码", lambda c: c.violation_code),
    Column("当事人", lambda c: c.party_name),
    Column("车牌号", lambda c: c.vehicle_plate),
    Column("违法时间", lambda c: _local(c.occurred_at)),
    Column("立案日期", lambda c: c.filed_on),
    Column("办案期限", lambda c: c.decision_due),
    Column("决定日期", lambda c: c.decided_on),
    Column("处理结果", lambda c: Outcome(c.outcome).label if c.outcome else ""),
    Column("罚款（元）", lambda c: c.fine_yuan),
    Column("已缴罚款（元）", lambda c: c.paid_yuan),
    Column("申请强制执行日期", lambda c: c.court_applied_on),
    Column("结案日期", lambda c: c.closed_on),
)
FINDING_COLUMNS = (
    Column("通过时间", lambda f: _local(f.passed_at)),
    Column("站点编号", lambda f: f.station.code),
    Column("站点", lambda f: f.station.name),
    Column("管辖单位", lambda f: f.org_unit.short_name),
    Column("车牌号", lambda f: f.plate),
    Column("号牌颜色", lambda f: f.plate_color),
    Column("轴数", lambda f: f.axles),
    Column("车货总质量（千克）", lambda f: f.gross_kg),
    Column("限值（千克）", lambda f: f.limit_kg),
    Column("超限（千克）", lambda f: f.overload_kg),
    Column("超限率", lambda f: f"{f.overload_rate * 100:.1f}%"),
    Column("百吨王", lambda f: "是" if f.hundred_tonne else ""),
    Column("拟罚款（元）", lambda f: f.fine_yuan),
    Column("初审状态", lambda f: f.get_status_display()),
)


def case_rows(qs: QuerySet[Case]) -> tuple[list[str], Iterable[list[Any]]]:
    rows = qs.select_related("org_unit").order_by("decided_on", "id")
    return [c.title for c in CASE_COLUMNS], ([col.value(c) for col in CASE_COLUMNS] for c in rows.iterator())


def finding_rows(qs: QuerySet[Finding]) -> tuple[list[str], Iterable[list[Any]]]:
    rows = qs.select_related("station", "org_unit").order_by("passed_at", "id")
    return [c.title for c in FINDING_COLUMNS], (
        [col.value(f) for col in FINDING_COLUMNS] for f in rows.iterator()
    )


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise JiafaError(ErrorCode.INVALID_INPUT, f"导出格式“{fmt}”无效，应为 xlsx 或 csv")
    return fmt


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return float(value)
    return value


def to_csv(header: list[str], rows: Iterable[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        writer.writerow([v.isoformat() if isinstance(v, date) else _cell(v) for v in row])
    return out.getvalue().encode("utf-8-sig")


def to_xlsx(title: str, header: list[str], rows: Iterable[list[Any]]) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def response(name: str, header: list[str], rows: Iterable[list[Any]], fmt: str) -> HttpResponse:
    check_format(fmt)
    data = to_csv(header, rows) if fmt == "csv" else to_xlsx(name, header, rows)
    resp = HttpResponse(data, content_type=FORMATS[fmt])
    resp["Content-Disposition"] = content_disposition_header(True, f"{name}.{fmt}")
    return resp
