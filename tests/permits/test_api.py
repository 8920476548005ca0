"""POST /api/v1/permits/bridge-check: the contract's fields, hand-calculated numbers, Chinese refusals."""

from datetime import date

import pytest

from jiafa.core.roles import Role
from jiafa.permits import actions
from jiafa.simulate.world import roads
from tests.conftest import BUREAU, HAINING, TONGXIANG, ApiClient

pytestmark = pytest.mark.django_db

CONTRACT_FIELDS = {
    "vehicle_moment_knm",
    "design_moment_knm",
    "moment_ratio",
    "vehicle_shear_kn",
    "design_shear_kn",
    "shear_ratio",
    "passes",
}
STANDARD = {"axle_loads_kn": [30, 120, 120, 140, 140], "axle_spacings_m": [3.0, 1.4, 7.0, 1.4]}


@pytest.fixture
def client(make_user, api_as):
    return api_as(make_user("hn1"))


def test_standard_vehicle_on_two_bridges(client):
    body = {
        "vehicle": STANDARD,
        "bridges": [
            {"span_m": 20, "design_load": "I", "red_line_ratio": 1.0},
            {"span_m": 20, "design_load": "汽车-20级", "red_line_ratio": 1.0},
        ],
    }
    response = client.post("/permits/bridge-check", body)
    assert response.status_code == 200, response.content
    data = response.json()
    first, second = data["bridges"]
    assert set(first) >= CONTRACT_FIELDS
    assert {k: first[k] for k in CONTRACT_FIELDS} == {
        "vehicle_moment_knm": 1647.36,
        "design_moment_knm": 2025.0,
        "moment_ratio": 0.8135,
        "vehicle_shear_kn": 411.8,
        "design_shear_kn": 465.0,
        "shear_ratio": 0.8856,
        "passes": True,
    }
    # 汽车-20级 maps to 公路-II级 (0.75×): 411.8 / 348.75 = 1.1808 > 1.0.
    assert second["design_load"] == "II" and second["shear_ratio"] == 1.1808 and second["passes"] is False
    assert data["passes"] is False and data["gross_kn"] == 550
    laws = {b["law"] for b in data["basis"]}
    assert "公路桥涵设计通用规范（JTG D60-2015）" in laws and len(laws) == 2


@pytest.mark.parametrize(
    ("vehicle", "code", "words"),
    [
        (
            {"axle_loads_kn": [100, 100, 100], "axle_spacings_m": [3.0]},
            "axle_layout_invalid",
            "应有 2 个轴距",
        ),
        ({"axle_loads_kn": [100, -100], "axle_spacings_m": [3.0]}, "axle_layout_invalid", "第 2 轴轴荷"),
        ({"axle_loads_kn": [], "axle_spacings_m": []}, "invalid_input", "axle_loads_kn"),
        ({"axle_loads_kn": ["heavy"], "axle_spacings_m": []}, "invalid_input", "axle_loads_kn"),
    ],
)
def test_bad_vehicles_are_refused_in_chinese(client, vehicle, code, words):
    response = client.post("/permits/bridge-check", {"vehicle": vehicle, "bridges": [{"span_m": 20}]})
    assert response.status_code == 422
    assert response.json()["code"] == code and words in response.json()["message"]


def test_bad_bridges_are_refused(client):
    for bridge, words in (
        ({"span_m": 0}, "计算跨径"),
        ({"span_m": 20, "design_load": "汽车-10级"}, "桥梁工程师"),
    ):
        response = client.post("/permits/bridge-check", {"vehicle": STANDARD, "bridges": [bridge]})
        assert response.status_code == 422
        assert response.json()["code"] == "bridge_data_invalid" and words in response.json()["message"]


def test_needs_a_staff_account(make_user, api_as):
    assert ApiClient().post("/permits/bridge-check", {}).status_code == 401
    station = api_as(make_user("station1", role=Role.STATION))
    body = {"vehicle": STANDARD, "bridges": [{"span_m": 20}]}
    assert station.post("/permits/bridge-check", body).json()["code"] == "forbidden"


# ── Applications ─────────────────────────────────────────────────────────────────────────────────────

FRIDAY = date(2024, 9, 27)
NET = roads()
APPLICATION = {
    "applicant_name": "嘉兴重型设备运输有限公司",
    "applicant_credit_code": "91330400MA2B000001",
    "contact_phone": "0573-82000000",
    "tractor_plate": "浙F12345",
    "trailer_plate": "浙F6789挂",
    "vehicle": {"axle_loads_kn": [60, 110, 110, 110, 110, 110], "axle_spacings_m": [3.2, 1.4, 6.0, 1.4, 1.4]},
    "gross_kg": 62200,
    "height_m": 4.0,
    "width_m": 2.9,
    "length_m": 18.0,
    "cargo": "变压器",
    "origin": {"name": "嘉兴港", "lat": NET["G60"].points[0][0], "lon": NET["G60"].points[0][1]},
    "destination": {"name": "海盐", "lat": NET["G92"].points[-1][0], "lon": NET["G92"].points[-1][1]},
    "travel_from": "2024-10-08",
    "travel_to": "2024-10-20",
}


@pytest.fixture
def desk(org, make_user, api_as, monkeypatch):
    monkeypatch.setattr("jiafa.permits.api.timezone.localdate", lambda *a, **k: FRIDAY)
    actions.load_demo_bridges(org[BUREAU])
    return {
        "officer": api_as(make_user("hn_officer", HAINING, Role.OFFICER)),
        "leader": api_as(make_user("hn_leader", HAINING, Role.SQUADRON_LEADER)),
        "other": api_as(make_user("tx_officer", TONGXIANG, Role.OFFICER)),
    }


def test_apply_review_and_approve_through_the_api(desk):
    response = desk["officer"].post("/permits/applications", APPLICATION)
    assert response.status_code == 201, response.content
    app = response.json()
    assert app["status"] == "under_review" and app["status_label"] == "审查中"
    assert app["due_on"] == "2024-10-10" and app["permit_class"] == "medium"
    assert app["check_result"]["route"]["bridges"] and app["allowed_actions"] == ["amend", "refer"]
    queue = desk["leader"].get("/permits/applications?status=under_review").json()
    assert [a["id"] for a in queue] == [app["id"]]
    detail = desk["leader"].get(f"/permits/applications/{app['id']}").json()
    assert "approve" in detail["allowed_actions"] and "reject" in detail["allowed_actions"]
    response = desk["leader"].post(
        f"/permits/applications/{app['id']}/actions/approve",
        {"version": 1, "conditions": {"time_window": "夜间"}},
    )
    assert response.status_code == 200, response.content
    approved = response.json()
    assert approved["status"] == "approved" and approved["number"] == "嘉交执超限许〔2024〕第00001号"
    assert [e["kind"] for e in approved["events"]] == ["apply", "approve"]
    again = desk["leader"].post(f"/permits/applications/{app['id']}/actions/approve", {})
    assert again.status_code == 409 and again.json()["code"] == "illegal_step"


def test_bad_applications_are_refused_with_their_code(desk):
    for change, code, words in (
        (
            {"vehicle": {"axle_loads_kn": [100, 100, 100], "axle_spacings_m": [3.0]}},
            "axle_layout_invalid",
            "轴距",
        ),
        (
            {"vehicle": {"axle_loads_kn": [-100, 100], "axle_spacings_m": [3.0]}},
            "axle_layout_invalid",
            "轴荷",
        ),
        ({"travel_from": "2024-09-01"}, "permit_input_invalid", "早于今天"),
    ):
        response = desk["officer"].post("/permits/applications", {**APPLICATION, **change})
        assert response.status_code == 422 and response.json()["code"] == code
        assert words in response.json()["message"]
    assert desk["officer"].get("/permits/applications").json() == []


def test_other_districts_do_not_see_the_application(desk):
    app = desk["officer"].post("/permits/applications", APPLICATION).json()
    assert desk["other"].get(f"/permits/applications/{app['id']}").status_code == 404
    assert desk["other"].get("/permits/applications").json() == []
    response = desk["officer"].post(f"/permits/applications/{app['id']}/actions/approve", {})
    assert response.status_code == 403 and response.json()["code"] == "forbidden"


def test_bridge_register(desk):
    bridges = desk["officer"].get("/permits/bridges").json()
    assert len(bridges) == 210 and {"red_line_ratio", "condition_grade", "spans_m"} <= set(bridges[0])


def test_amend_rechecks(desk):
    app = desk["officer"].post("/permits/applications", APPLICATION).json()
    heavy = {"axle_loads_kn": [60, 110, 110, *[150] * 6], "axle_spacings_m": [3.2, 1.4, 6.0, *[1.5] * 5]}
    body = {**APPLICATION, "vehicle": heavy, "gross_kg": 123385, "version": 1}
    response = desk["officer"].post(f"/permits/applications/{app['id']}/amend", body)
    assert response.status_code == 200, response.content
    amended = response.json()
    assert amended["status"] == "referred" and amended["check_result"]["route"] is None
    assert amended["permit_class"] == "large" and amended["version"] == 2


def test_an_inspection_changes_the_bridge_for_every_later_check(desk):
    leader = desk["leader"]
    before = leader.get("/permits/bridges/QL0001").json()
    body = {
        "inspected_on": "2024-09-20",
        "kind": "load_test",
        "condition_grade": 4,
        "red_line_ratio": 0.7,
        "findings": "主梁跨中横向裂缝超限",
        "inspector": "浙江省交通工程检测中心",
        "version": before["version"],
    }
    response = leader.post("/permits/bridges/QL0001/inspections", body)
    assert response.status_code == 201, response.content
    after = response.json()
    assert (after["condition_grade"], after["red_line_ratio"]) == (4, 0.7)
    assert (
        after["inspections"][0]["findings"] == "主梁跨中横向裂缝超限"
        and after["version"] == before["version"] + 1
    )
    older = {
        **body,
        "inspected_on": "2023-01-05",
        "condition_grade": 2,
        "red_line_ratio": 1.2,
        "version": None,
    }
    assert leader.post("/permits/bridges/QL0001/inspections", older).json()["condition_grade"] == 4
    stale = leader.post("/permits/bridges/QL0001/inspections", body)
    assert stale.status_code == 409 and stale.json()["code"] == "conflict"
    future = leader.post(
        "/permits/bridges/QL0001/inspections", {**body, "inspected_on": "2024-10-01", "version": None}
    )
    assert future.status_code == 422 and future.json()["code"] == "bridge_data_invalid"
    officer = desk["officer"].post("/permits/bridges/QL0001/inspections", {**body, "version": None})
    assert officer.status_code == 403
    assert desk["officer"].get("/permits/bridges/QL9999").status_code == 404
