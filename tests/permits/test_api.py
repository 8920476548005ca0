"""POST /api/v1/permits/bridge-check: the contract's fields, hand-calculated numbers, Chinese refusals."""

import pytest

from jiafa.core.roles import Role
from tests.conftest import ApiClient

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
