"""GET /api/v1/law/deadline and /api/v1/law/late-fee as a partner system calls them (docs/contract.md)."""

import pytest

from tests.conftest import ApiClient

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(make_user, api_as):
    return api_as(make_user("hn1"))


def test_deadline_answers_the_contract_fields(api):
    response = api.get("/law/deadline", data={"kind": "hearing_request", "start": "2024-09-27"})
    assert response.status_code == 200
    data = response.json()
    assert {k: data[k] for k in ("kind", "start", "due", "working_days")} == {
        "kind": "hearing_request",
        "start": "2024-09-27",
        "due": "2024-10-10",
        "working_days": True,
    }
    assert data["basis"] == [
        {"law": "中华人民共和国行政处罚法", "article": "第六十四条第一项"},
        {"law": "中华人民共和国行政处罚法", "article": "第八十五条"},
    ]
    assert data["label"] == "申请听证期限"


def test_court_application_in_months(api):
    data = api.get("/law/deadline", data={"kind": "court_application", "start": "2024-11-30"}).json()
    assert (data["due"], data["working_days"]) == ("2025-02-28", False)
    assert data["basis"] == [{"law": "中华人民共和国行政强制法", "article": "第五十三条"}]


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({"kind": "appeal", "start": "2024-09-27"}, "invalid_input"),
        ({"kind": "payment", "start": "2024-02-30"}, "invalid_input"),
        ({"kind": "payment", "start": "next monday"}, "invalid_input"),
        ({"kind": "payment"}, "invalid_input"),
        ({"kind": "service", "start": "2031-03-03"}, "no_schedule_for_year"),
        ({"kind": "decision", "start": "2019-03-01"}, "no_rule_in_force"),
    ],
)
def test_bad_deadline_input_is_422_with_a_chinese_message(api, params, code):
    response = api.get("/law/deadline", data=params)
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == code
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["message"])


def test_year_without_schedule_names_the_year(api):
    body = api.get("/law/deadline", data={"kind": "service", "start": "2031-03-03"}).json()
    assert "2031" in body["message"]


def test_late_fee(api):
    response = api.get("/law/late-fee", data={"fine": 2000, "due": "2024-03-01", "paid": "2024-04-15"})
    assert response.status_code == 200
    data = response.json()
    assert (data["days"], data["late_fee_yuan"], data["capped"]) == (45, 2000, True)
    assert data["basis"] == [{"law": "中华人民共和国行政处罚法", "article": "第七十二条第一款第一项"}]


def test_late_fee_with_review_periods(api):
    params = {"fine": 1000, "due": "2024-03-01", "paid": "2024-03-31", "paused": ["2024-03-10/2024-03-19"]}
    data = api.get("/law/late-fee", data=params).json()
    assert (data["days"], data["paused_days"], data["late_fee_yuan"]) == (20, 10, 600)


@pytest.mark.parametrize(
    "params",
    [
        {"fine": -100, "due": "2024-03-01", "paid": "2024-03-02"},
        {"fine": "lots", "due": "2024-03-01", "paid": "2024-03-02"},
        {"fine": 100, "due": "2024-03-01"},
        {"fine": 100, "due": "2024-03-01", "paid": "2024-03-02", "paused": "2024-03-10"},
    ],
)
def test_bad_late_fee_input_is_422(api, params):
    response = api.get("/law/late-fee", data=params)
    assert response.status_code == 422
    assert response.json()["code"] == "invalid_input"


@pytest.mark.parametrize("path", ["/law/deadline?kind=payment&start=2024-03-01", "/law/late-fee?fine=1"])
def test_a_token_is_required(db, path):
    response = ApiClient().get(path)
    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"


def test_the_kinds_are_documented_in_openapi(api):
    schema = ApiClient().get("/openapi.json").json()
    assert "/api/v1/law/deadline" in schema["paths"] and "/api/v1/law/late-fee" in schema["paths"]
    assert "hearing_notice" in str(schema)
