"""A bureau leader opens the dashboard: the charts render from the locally served plotly.js, a figure opens
cases behind it, and the annual report downloads as a Word document."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jiafa.core.roles import Role
from tests.conftest import BUREAU, PASSWORD
from tests.reports.world import build

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    now = dt.datetime(2026, 9, 15, 2, 30, tzinfo=dt.UTC)  # the live server runs in this process
    monkeypatch.setattr(timezone, "now", lambda: now)


def test_dashboard_draws_its_charts_offline(page, make_user, org):
    world = build(make_user, org)
    make_user("boss2", BUREAU, Role.BUREAU_LEADER)
    outside: list[str] = []
    page.on(
        "request",
        lambda r: outside.append(r.url) if not r.url.startswith((page.base_url, "data:", "blob:")) else None,
    )
    page.goto(page.base_url + "/login/")
    page.fill("#id_username", "boss2")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(page.base_url + "/")
    page.click("text=统计与年报")
    page.wait_for_selector("body[data-charts-ready=true]")
    for chart in ("chart-months", "chart-stations", "chart-sources", "chart-bands"):
        assert page.locator(f"#{chart} .main-svg").count() >= 1, chart
    bars = page.locator("#chart-months .bars .point")
    assert bars.count() >= 8  # one bar per month with cases, per series
    assert "HN-01检测点" in page.locator("#chart-stations").inner_text()
    assert outside == []

    page.click("[data-figure=court_application]")
    page.wait_for_url("**/reports/cases/**")
    assert world.cases["court"].number in page.locator("table").inner_text()

    page.go_back()
    with page.expect_download() as download:
        page.click("text=年度报告（Word）")
    assert download.value.suggested_filename.endswith("2026年法治政府建设工作报告.docx")
