"""A case walked from registration to closing through the web UI, each step by the role the law gives it:
ordinary procedure, a fine paid late with the late fee, and the decision document checked."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jiafa.cases.models import Case
from tests.cases.conftest import VIOLATION, Team

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # The live server runs in this process, so it sees the same clock.
    now = dt.datetime(2026, 9, 15, 2, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)


@pytest.fixture
def team(make_user) -> Team:
    return Team(make_user)


@pytest.fixture
def desks(request):
    """Every tab opened by the test; on failure each one's screen is kept in test-artifacts/."""
    from tests.browser.conftest import ARTIFACTS

    opened: list[Desk] = []
    yield opened
    call = getattr(request.node, "rep_call", None)
    if call is not None and call.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        for i, desk in enumerate(opened):
            desk.page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-{i}.png"), full_page=True)


class Desk:
    """One person's browser tab, logged in once."""

    def __init__(self, browser, base_url: str, username: str, password: str) -> None:
        self.context = browser.new_context(
            locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1440, "height": 900}
        )
        self.page = self.context.new_page()
        self.page.set_default_timeout(15000)
        self.base = base_url
        self.page.goto(base_url + "/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("button[type=submit]")
        self.page.wait_for_url(base_url + "/")

    def open_case(self, case_id: int) -> None:
        self.page.goto(f"{self.base}/cases/{case_id}/")

    def take(self, case_id: int, label: str, fields: dict[str, str | bool | list[str]]) -> None:
        """Click the step's button on the case page, fill its form, confirm, and check it was taken."""
        self.open_case(case_id)
        self.page.click(f".step-buttons >> text={label}")
        form = self.page.locator("form.step-form")
        form.wait_for()
        for name, value in fields.items():
            if isinstance(value, bool):
                form.locator(f'input[name="{name}"]').set_checked(value)
            elif isinstance(value, list):
                for box in form.locator(f'input[name="{name}"]').all():
                    box.set_checked(box.get_attribute("value") in value)
            elif form.locator(f'select[name="{name}"]').count():
                form.locator(f'select[name="{name}"]').select_option(value)
            else:
                form.locator(f'[name="{name}"]').fill(value)
        form.locator("button[type=submit]").click()
        self.page.wait_for_url(f"{self.base}/cases/{case_id}/")
        assert f"已{label}" in self.page.locator(".flash.success").inner_text()


def test_ordinary_case_with_a_fine_paid_late(browser, live_server, team: Team, desks):
    from tests.conftest import PASSWORD

    officer = Desk(browser, live_server.url, team.officer.username, PASSWORD)
    leader = Desk(browser, live_server.url, team.leader.username, PASSWORD)
    reviewer = Desk(browser, live_server.url, team.reviewer.username, PASSWORD)
    desks += [officer, leader, reviewer]

    # The officer registers the case source from the roadside check.
    page = officer.page
    page.goto(live_server.url + "/cases/new/")
    page.select_option("#id_source", "inspection")
    page.select_option("#id_violation_code", VIOLATION)
    page.fill("#id_occurred_at", "2025-11-20T10:00")
    page.fill("#id_place", "G60 沪昆高速嘉兴段 K98")
    page.fill("#id_vehicle_plate", "浙F12345")
    page.select_option("#id_party_kind", "person")
    page.fill("#id_party_name", "张三")
    page.fill("#id_party_id_no", "330402198001011234")
    page.fill("#id_facts", "浙F12345 二轴货车车货总质量 31,000 千克，超过限值 18,000 千克。")
    page.check(f"input[name=officers][value='{team.partner.pk}']")
    page.click("form.card button[type=submit]")
    assert "案源已登记" in page.locator(".flash.success").inner_text()
    case_id = Case.objects.get().pk

    leader.take(case_id, "批准立案", {"filed_on": "2025-12-01"})
    officer.take(
        case_id,
        "调查终结",
        {
            "outcome": "penalty",
            "kinds": ["fine"],
            "fine_yuan": "6500",
            "report": "称重记录、现场照片、询问笔录在卷",
            "facts_for_tier.overload_kg": "13000",
            "facts_for_tier.repeat_12m": "0",
        },
    )
    officer.take(case_id, "送达告知书", {"served_on": "2025-12-10"})
    officer.take(case_id, "陈述申辩期满，进入审核", {})
    reviewer.take(case_id, "法制审核", {"opinion": "事实清楚，证据确凿，程序合法，裁量适当。"})
    leader.take(case_id, "作出决定", {"decided_on": "2025-12-22"})
    officer.take(case_id, "送达决定书", {"served_on": "2025-12-23", "method": "直接"})

    # Paid ten days late: due 2026-01-07 (15 days after 12-23), paid 01-17 → 10 × 3% × 6,500 = ¥1,950.
    officer.open_case(case_id)
    assert "缴款期限" in page.locator(".deadlines").inner_text()
    officer.page.click(".step-buttons >> text=登记缴款")
    officer.page.locator("form.step-form [name=paid_on]").fill("2026-01-17")
    officer.page.locator("form.step-form [name=receipt_no]").fill("浙财收 0012345")
    officer.page.locator("form.step-form [name=late_fee_yuan]").fill("0")
    officer.page.locator("form.step-form button[type=submit]").click()
    assert "加处罚款 1950 元" in officer.page.locator("form.step-form .flash.error").inner_text()
    officer.take(
        case_id,
        "登记缴款",
        {
            "paid_on": "2026-01-17",
            "fine_yuan": "6500",
            "late_fee_yuan": "1950",
            "receipt_no": "浙财收 0012345",
        },
    )
    leader.take(case_id, "结案", {"closed_on": "2026-01-19"})

    case = Case.objects.get()
    assert (case.status, case.paid_yuan, case.late_fee_paid_yuan) == ("closed", 6500, 1950)
    leader.open_case(case_id)
    assert "已结案" in leader.page.locator("h1").inner_text()

    # The decision document: downloaded as the party would receive it.
    with leader.page.expect_download() as download:
        leader.page.locator(".doclist li", has_text="行政处罚决定书").get_by_text("DOCX").click()
    from docx import Document

    text = "\n".join(p.text for p in Document(str(download.value.path())).paragraphs)
    assert "嘉交执罚〔2025〕第00001号" in text
    assert "6500" in text or "6,500" in text
    assert "第四十三条" in text  # the legal basis of the overload fine
