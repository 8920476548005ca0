"""An oversize permit through the web UI: the officer types an application and sees the bridges checked as
they type, accepts it; the squadron leader grants it; the printed permit's QR address verifies it publicly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from jiafa.core.roles import Role
from jiafa.permits import actions
from jiafa.permits.models import PermitApplication
from jiafa.simulate.world import roads
from tests.conftest import BUREAU, HAINING, PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    # 27 September 2024, 10:30 in Shanghai: the live server runs in this process and sees the same clock.
    now = dt.datetime(2024, 9, 27, 2, 30, tzinfo=dt.UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)


def login(browser, base: str, username: str):
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", viewport={"width": 1440, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(base + "/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(base + "/")
    return page


def test_apply_check_as_you_type_grant_and_verify(browser, live_server, org, make_user):
    actions.load_demo_bridges(org[BUREAU])
    make_user("hn_officer", HAINING, Role.OFFICER)
    make_user("hn_leader", HAINING, Role.SQUADRON_LEADER)
    net = roads()
    start, end = net["G60"].points[0], net["G92"].points[-1]
    officer = login(browser, live_server.url, "hn_officer")
    officer.goto(live_server.url + "/permits/new/")
    for field, value in {
        "applicant_name": "嘉兴重型设备运输有限公司",
        "applicant_credit_code": "91330400MA2B000001",
        "contact_phone": "0573-82000000",
        "tractor_plate": "浙F12345",
        "axle_loads_kn": "60,110,110,110,110,110",
        "axle_spacings_m": "3.2,1.4,6.0,1.4,1.4",
        "gross_kg": "62200",
        "height_m": "4.0",
        "width_m": "2.9",
        "length_m": "18",
        "cargo": "变压器",
        "travel_from": "2024-10-08",
        "travel_to": "2024-10-20",
    }.items():
        officer.fill(f"#id_{field}", value)
    officer.select_option("#id_origin", f"{start[0]},{start[1]}")
    officer.select_option("#id_destination", f"{end[0]},{end[1]}")
    officer.locator("#check-result").get_by_text("推荐路线").wait_for()  # checked on change, nothing clicked
    assert PermitApplication.objects.count() == 0
    officer.fill("#id_axle_spacings_m", "3.2,1.4")  # spacings missing: said as soon as the field is left
    officer.press("#id_axle_spacings_m", "Tab")
    officer.locator("#check-result").get_by_text("个轴距").wait_for()
    officer.fill("#id_axle_spacings_m", "3.2,1.4,6.0,1.4,1.4")
    officer.click("button[name=apply]")
    officer.get_by_text("已受理并完成自动校核").wait_for()
    app = PermitApplication.objects.get()
    assert app.status == "under_review" and app.due_on == dt.date(2024, 10, 10)

    leader = login(browser, live_server.url, "hn_leader")
    leader.goto(f"{live_server.url}/permits/")
    leader.get_by_role("link", name=f"申请 #{app.pk}").click()
    leader.get_by_role("button", name="准予许可").click()
    leader.get_by_text("已办理").wait_for()
    leader.get_by_role("link", name="通行证（打印）").click()
    assert leader.locator("svg").count() >= 1
    app.refresh_from_db()
    verify = leader.locator("code").inner_text()
    assert verify.endswith(f"/permits/verify/{app.verify_code}/")

    public = browser.new_context(locale="zh-CN").new_page()
    public.goto(verify)
    assert "通行证有效期自 2024-10-08 起，今天尚未生效" in public.content()  # granted before travel starts
