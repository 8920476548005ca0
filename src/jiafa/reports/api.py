"""`GET /api/v1/reports/annual?year=Y[&unit=CODE]`: the annual report's figures and opening paragraph."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from jiafa.reports import annual, figures

router = Router(tags=["统计与年报"])


@router.get("/annual", summary="年度法治政府建设报告的数据与开篇段落", url_name="reports_annual")
def annual_report(request: HttpRequest, year: str, unit: str = "") -> dict[str, Any]:
    scope = figures.scope_for(request.user, unit or None)
    return annual.build(scope, year, today=timezone.localdate())
