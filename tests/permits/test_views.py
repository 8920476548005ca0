"""Permit pages: queue, application with its check, decisions, the printed permit with its QR code, the public
verification page, the bridge map and the form that checks at once."""

from dataclasses import replace
from datetime import date

import pytest
from django.test import Client

from jiafa.core.roles import Role
from jiafa.permits import actions
from jiafa.permits.models import PermitApplication
from tests.conftest import BUREAU, HAINING, TONGXIANG
from tests.permits.test_actions import FRIDAY, HEAVY, SIX_AXLES

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(org, make_user, web_as, monkeypatch):
    # The pages' today: a day the packaged holiday schedules cover, so the time limits can be counted.
    monkeypatch.setattr("jiafa.permits.views.timezone.localdate", lambda *a, **k: FRIDAY)
    actions.load_demo_bridges(org[BUREAU])
    officer = make_user("hn_officer", HAINING, Role.OFFICER)
    leader = make_user("hn_leader", HAINING, Role.SQUADRON_LEADER)
    today = FRIDAY
    data = replace(SIX_AXLES, travel_from=today, travel_to=today)
    app = actions.apply(data, actor=officer, unit=org[HAINING], today=today)
    return {
        "app": app,
        "today": today,
        "officer": web_as(officer),
        "leader": web_as(leader),
        "other": web_as(make_user("tx_officer", TONGXIANG, Role.OFFICER)),
        "leader_user": leader,
    }


def test_queue_and_detail_show_the_check(office):
    page = office["officer"].get("/permits/").content.decode()
    assert "嘉兴重型设备运输有限公司" in page and "审查中" in page and "建议附条件许可" in page
    detail = office["officer"].get(f"/permits/{office['app'].pk}/").content.decode()
    assert "推荐路线" in detail and "未采用的路线及原因" in detail and "不通过" in detail
    assert "准予许可" not in detail  # an officer may not decide
    assert office["other"].get(f"/permits/{office['app'].pk}/").status_code == 404


def test_leader_approves_and_the_qr_code_leads_to_a_public_verification(office):
    app = office["app"]
    response = office["leader"].post(f"/permits/{app.pk}/steps/approve/", {"version": app.version})
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == "approved" and app.verify_code
    document = office["leader"].get(f"/permits/{app.pk}/document/").content.decode()
    assert (
        "超限运输车辆通行证" in document
        and "<svg" in document
        and f"/permits/verify/{app.verify_code}/" in document
    )
    public = Client().get(f"/permits/verify/{app.verify_code}/").content.decode()
    assert "通行证有效" in public and "浙F12345" in public
    actions.suspend(app.pk, actor=office["leader_user"], reasons="护送未到位", today=office["today"])
    public = Client().get(f"/permits/verify/{app.verify_code}/").content.decode()
    assert "已中止，不得通行" in public
    assert Client().get("/permits/verify/not-a-code/").status_code == 404


def test_refused_step_is_shown_not_raised(office):
    app = office["app"]
    office["leader"].post(f"/permits/{app.pk}/steps/reject/", {"text": ""})
    app.refresh_from_db()
    assert app.status == "under_review"
    page = office["leader"].get(f"/permits/{app.pk}/").content.decode()
    assert "请填写不予许可的理由" in page


def test_bridge_map(office):
    page = office["officer"].get("/permits/bridges/").content.decode()
    assert page.count("<circle") == 210 and "荷载红线" in page and "G60" in page


def test_form_checks_at_once_and_then_accepts(office):
    today = office["today"].isoformat()
    start, end = HEAVY.origin, HEAVY.destination
    form = {
        "applicant_name": "嘉兴重型设备运输有限公司",
        "applicant_credit_code": "91330400MA2B000001",
        "contact_phone": "0573-82000000",
        "tractor_plate": "浙F54321",
        "axle_loads_kn": ",".join(str(p) for p in HEAVY.axle_loads_kn),
        "axle_spacings_m": ",".join(str(s) for s in HEAVY.axle_spacings_m),
        "gross_kg": HEAVY.gross_kg,
        "height_m": 4.0,
        "width_m": 2.9,
        "length_m": 18.0,
        "cargo": "桥梁构件",
        "origin": f"{start[0]},{start[1]}",
        "destination": f"{end[0]},{end[1]}",
        "travel_from": today,
        "travel_to": today,
        "check": "1",
    }
    page = office["officer"].post("/permits/new/", form).content.decode()
    assert "没有一条路线能避开所有不通过的桥梁" in page and "控制效应" in page
    assert PermitApplication.objects.count() == 1  # checking saves nothing
    bad = office["officer"].post("/permits/new/", {**form, "axle_spacings_m": "3.2"}).content.decode()
    assert "个轴距" in bad
    del form["check"]
    response = office["officer"].post("/permits/new/", {**form, "apply": "1"})
    assert response.status_code == 302 and PermitApplication.objects.count() == 2


def test_nav_links_to_permits(office):
    assert 'href="/permits/"' in office["officer"].get("/").content.decode()


def test_verification_dates(office, monkeypatch):
    app = office["app"]
    actions.approve(app.pk, actor=office["leader_user"], today=office["today"])
    app.refresh_from_db()
    monkeypatch.setattr("jiafa.permits.views.timezone.localdate", lambda *a, **k: date(2099, 1, 1))
    assert "已于" in Client().get(f"/permits/verify/{app.verify_code}/").content.decode()


def test_the_form_rechecks_on_every_change(office):
    page = office["officer"].get("/permits/new/").content.decode()
    assert 'hx-trigger="change delay:400ms"' in page and 'id="check-result"' in page
    partial = office["officer"].post(
        "/permits/new/", {"check": "1", "cargo": "变压器"}, HTTP_HX_REQUEST="true"
    )
    assert "请完整、正确填写" in partial.content.decode() and "申请人" in partial.content.decode()
