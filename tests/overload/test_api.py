"""POST /api/v1/overload/assess: the contract's fields, Chinese refusals with a code, never a 500."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db

CONTRACT_FIELDS = {"limit_kg", "overload_kg", "overload_rate", "is_overload", "outcome", "fine_yuan", "basis"}
LAW = "超限运输车辆行驶公路管理规定"


@pytest.fixture
def client(make_user, api_as):
    return api_as(make_user("hn1"))


def test_assess_answers_with_the_contract_fields(client):
    body = {
        "axles": 6,
        "combination": True,
        "single_drive_axle": False,
        "gross_kg": 60000,
        "measurement": "wim",
    }
    response = client.post("/overload/assess", body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert set(data) >= CONTRACT_FIELDS
    assert {k: data[k] for k in CONTRACT_FIELDS - {"basis"}} == {
        "limit_kg": 49000,
        "overload_kg": 8000,
        "overload_rate": 0.1632,
        "is_overload": True,
        "outcome": "fine",
        "fine_yuan": 4000,
    }
    assert data["basis"] == [
        {"law": LAW, "article": "第三条第一款第八项"},
        {"law": "动态公路车辆自动衡器检定规程（JJG 907-2006）", "article": "最大允许误差（按准确度等级）"},
        {"law": LAW, "article": "第四十三条第一款第二项"},
    ]
    assert (data["tolerance_kg"], data["judged_kg"], data["hundred_tonne"], data["serious"]) == (
        3000,
        57000,
        False,
        False,
    )
    assert data["measured_on"] == timezone.localdate().isoformat()
    assert data["explanation"].endswith("罚款4000元。")


def test_optional_fields_default_to_a_static_weighing_of_a_truck_today(client):
    data = client.post("/overload/assess", {"axles": 2, "gross_kg": 48780}).json()
    assert (data["measurement"], data["tolerance_kg"], data["limit_kg"]) == ("static", 0, 18000)
    assert (data["overload_rate"], data["fine_yuan"], data["serious"]) == (1.71, 15000, True)


def test_a_past_measurement_date_is_judged_by_the_rules_of_that_day(client):
    response = client.post("/overload/assess", {"axles": 2, "gross_kg": 40000, "measured_on": "2016-10-01"})
    assert response.status_code == 200
    assert (response.json()["measured_on"], response.json()["fine_yuan"]) == ("2016-10-01", 11000)


@pytest.mark.parametrize(
    ("body", "code", "message_part"),
    [
        ({"axles": 1, "gross_kg": 20000}, "invalid_axle_count", "轴数应在 2 至 20 之间"),
        ({"axles": 2, "gross_kg": 0}, "invalid_gross_weight", "车货总质量应大于 0"),
        ({"axles": 2, "gross_kg": 400000}, "invalid_gross_weight", "不超过 300000 千克"),
        (
            {"axles": 5, "combination": True, "single_drive_axle": True, "gross_kg": 40000},
            "single_drive_axle_not_applicable",
            "六轴及以上汽车列车",
        ),
        ({"axles": 2, "gross_kg": 20000, "measured_on": "2010-01-01"}, "no_rule_in_force", "2010-01-01"),
        ({"axles": 2, "gross_kg": 20000, "measurement": "dynamic"}, "invalid_input", "measurement"),
        ({"axles": 2}, "invalid_input", "gross_kg"),
        ({"axles": "six", "gross_kg": 20000}, "invalid_input", "axles"),
        ({"axles": 2, "gross_kg": 20000.5}, "invalid_input", "gross_kg"),
    ],
)
def test_bad_input_is_422_with_a_code_and_a_chinese_message(client, body, code, message_part):
    response = client.post("/overload/assess", body)
    assert response.status_code == 422, response.content
    assert response.json()["code"] == code
    assert message_part in response.json()["message"]


def test_a_body_that_is_not_json_is_refused_with_a_code(client):
    response = client.post("/overload/assess", "axles=6&gross_kg=60000")
    assert response.status_code == 400  # the API's answer to an unparseable body (jiafa/api.py)
    assert response.json() == {"code": "invalid_input", "message": "输入有误"}


def test_a_measurement_date_in_the_future_is_refused(client):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        "/overload/assess", {"axles": 2, "gross_kg": 20000, "measured_on": tomorrow.isoformat()}
    )
    assert response.status_code == 422
    assert response.json() == {"code": "measured_in_future", "message": "称重日期不能晚于今天"}


def test_without_a_token_the_answer_is_401(org):
    response = ApiClient().post("/overload/assess", {"axles": 2, "gross_kg": 20000})
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_the_endpoint_is_documented_in_openapi(client):
    schema = client.get("/openapi.json").json()
    operation = schema["paths"]["/api/v1/overload/assess"]["post"]
    assert operation["tags"] == ["非现场治超"]
