"""/api/v1/cases as a partner system or a script uses it."""

from __future__ import annotations

import pytest

from jiafa.cases.states import CaseStatus as S
from jiafa.core.roles import Role
from tests.cases.conftest import VIOLATION, Team, advance
from tests.conftest import TONGXIANG

pytestmark = pytest.mark.django_db

NEW_CASE = {
    "source": "inspection",
    "violation_code": VIOLATION,
    "occurred_at": "2025-11-20T10:00:00+08:00",
    "place": "G60 沪昆高速嘉兴段 K98",
    "facts": "六轴货车超限运输",
    "party_kind": "person",
    "party_name": "李四",
    "party_id_no": "330402198001011234",
    "vehicle_plate": "浙f54321",
    "officers": ["hn_officer1", "hn_officer2"],
}


def test_register_file_and_read_a_case(team: Team, api_as):
    officer, leader = api_as(team.officer), api_as(team.leader)
    created = officer.post("/cases", NEW_CASE)
    assert created.status_code == 201, created.content
    case = created.json()
    assert (case["status"], case["status_label"], case["vehicle_plate"]) == (
        "registered",
        "待立案",
        "浙F54321",
    )
    assert case["allowed_actions"] == ["summary_decide"]  # an officer may decide on the spot, not file

    filed = leader.post(
        f"/cases/{case['id']}/actions/file", {"filed_on": "2025-12-01", "version": case["version"]}
    )
    assert filed.status_code == 200, filed.content
    body = filed.json()
    assert body["number"] == "嘉交执立〔2025〕第00001号"
    assert body["decision_due"] == "2026-03-02"
    assert body["next_deadline"] == {
        "label": "作出决定期限",
        "due": "2026-03-02",
        "days_left": -197,
        "overdue": True,
    }
    assert [e["label"] for e in body["timeline"]] == ["登记案源", "生成文书", "批准立案"]
    assert body["documents"][0]["label"] == "立案登记表"


def test_illegal_step_is_409_with_a_code(team: Team, api_as):
    case = advance(team, S.REGISTERED)
    response = api_as(team.leader).post(f"/cases/{case.pk}/actions/serve", {"served_on": "2025-12-01"})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "illegal_step"
    assert body["message"] == "案件当前为“待立案”，不能送达决定书（仅在已决定待送达阶段可以）"


def test_bad_step_input_is_422_naming_the_fields(team: Team, api_as):
    case = advance(team, S.REGISTERED)
    response = api_as(team.leader).post(f"/cases/{case.pk}/actions/file", {"filed_on": "2025-13-45"})
    assert response.status_code == 422
    assert response.json() == {"code": "invalid_input", "message": "以下内容缺失或格式不对：立案日期"}
    unknown = api_as(team.leader).post(f"/cases/{case.pk}/actions/pardon", {})
    assert unknown.status_code == 404


def test_stale_version_is_409_conflict(team: Team, api_as):
    case = advance(team, S.REGISTERED)
    leader = api_as(team.leader)
    assert (
        leader.post(f"/cases/{case.pk}/actions/file", {"filed_on": "2025-12-01", "version": 1}).status_code
        == 200
    )
    again = leader.post(f"/cases/{case.pk}/actions/decline", {"reason": "重复", "version": 1})
    assert again.status_code == 409 and again.json()["code"] in ("conflict", "illegal_step")


def test_other_units_cannot_list_read_or_act(team: Team, api_as, make_user):
    case = advance(team, S.REGISTERED)
    outsider = api_as(make_user("tx_leader", TONGXIANG, Role.SQUADRON_LEADER))
    assert outsider.get("/cases").json() == []
    assert outsider.get(f"/cases/{case.pk}").status_code == 404
    response = outsider.post(f"/cases/{case.pk}/actions/file", {"filed_on": "2025-12-01"})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    boss = api_as(team.boss)
    assert [c["id"] for c in boss.get("/cases").json()] == [case.pk]


def test_list_filters(team: Team, api_as):
    registered = advance(team, S.REGISTERED)
    investigating = advance(team, S.INVESTIGATING)
    client = api_as(team.leader)
    assert [c["id"] for c in client.get("/cases?status=investigating").json()] == [investigating.pk]
    assert [c["id"] for c in client.get("/cases?overdue=true").json()] == [investigating.pk]
    assert {c["id"] for c in client.get("/cases?q=浙F12345").json()} == {registered.pk, investigating.pk}
    assert [c["id"] for c in client.get("/cases?filed_from=2025-12-01&filed_to=2025-12-01").json()] == [
        investigating.pk
    ]
    assert client.get("/cases?filed_from=yesterday").status_code == 422


def test_registration_refuses_bad_input(team: Team, api_as):
    client = api_as(team.officer)
    future = client.post("/cases", NEW_CASE | {"occurred_at": "2030-01-01T00:00:00+08:00"})
    assert future.status_code == 422 and future.json()["message"] == "违法时间不能晚于当前时间"
    nobody = client.post("/cases", NEW_CASE | {"officers": ["ghost"]})
    assert nobody.json()["message"] == "找不到执法人员：ghost"
    blank = client.post("/cases", NEW_CASE | {"facts": "  "})
    assert blank.json()["message"] == "请填写违法事实"
    auditor_like = api_as(team.boss).post("/cases", NEW_CASE)
    assert auditor_like.status_code == 403


def test_case_evidence_through_the_api(team: Team, api_as, make_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = advance(team, S.INVESTIGATING)
    officer = api_as(team.officer)
    photo = SimpleUploadedFile("front.jpg", b"\xff\xd8 plate", content_type="image/jpeg")
    added = officer.post(f"/cases/{case.pk}/evidence", {"file": photo, "title": "车头照", "kind": "photo"})
    assert added.status_code == 201, added.content
    detail = officer.get(f"/cases/{case.pk}").json()
    assert [e["title"] for e in detail["evidence"]] == ["车头照"]
    assert detail["timeline"][-1]["label"] == "添加证据"
    outsider = api_as(make_user("tx1", TONGXIANG))
    again = SimpleUploadedFile("front.jpg", b"\xff\xd8 plate", content_type="image/jpeg")
    refused = outsider.post(f"/cases/{case.pk}/evidence", {"file": again, "title": "x", "kind": "photo"})
    assert refused.status_code == 404
