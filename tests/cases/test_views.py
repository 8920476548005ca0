"""The case pages as officers use them: the list with its flags, registering, and taking steps."""

from __future__ import annotations

import pytest

from jiafa.cases.models import Case
from jiafa.cases.states import CaseStatus as S
from jiafa.core.roles import Role
from tests.cases.conftest import VIOLATION, Team, advance
from tests.conftest import TONGXIANG

pytestmark = pytest.mark.django_db


def test_list_shows_status_and_the_overdue_flag(team: Team, web_as):
    advance(team, S.INVESTIGATING)
    page = web_as(team.leader).get("/cases/").content.decode()
    assert "嘉交执立〔2025〕第00001号" in page and "调查取证" in page
    assert "已逾期 197 天" in page
    overdue = web_as(team.leader).get("/cases/?overdue=true").content.decode()
    assert "嘉交执立〔2025〕第00001号" in overdue


def test_bad_filter_input_does_not_break_the_list(team: Team, web_as):
    response = web_as(team.leader).get("/cases/?filed_from=notadate&status=investigating")
    assert response.status_code == 200
    assert "筛选条件格式不对" in response.content.decode()


def test_register_from_the_form(team: Team, web_as):
    client = web_as(team.officer)
    form = client.get("/cases/new/").content.decode()
    assert "登记案源" in form and "执法证 33040000002" in form  # partners are picked by name and certificate
    response = client.post(
        "/cases/new/",
        {
            "source": "inspection",
            "violation_code": VIOLATION,
            "occurred_at": "2026-09-14T09:30",
            "place": "G60 K98",
            "vehicle_plate": "浙F11111",
            "party_kind": "person",
            "party_name": "王五",
            "party_id_no": "330402198001011234",
            "facts": "超限运输",
            "officers": [team.officer.pk, team.partner.pk],
        },
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert (case.party_name, case.vehicle_plate, case.officers.count()) == ("王五", "浙F11111", 2)


def test_case_page_offers_only_the_steps_the_role_may_take(team: Team, web_as):
    case = advance(team, S.REGISTERED)
    officer_page = web_as(team.officer).get(f"/cases/{case.pk}/").content.decode()
    leader_page = web_as(team.leader).get(f"/cases/{case.pk}/").content.decode()
    assert "批准立案" not in officer_page and "当场处罚（简易程序）" in officer_page
    assert "批准立案" in leader_page and "不予立案" in leader_page


def test_taking_a_step_from_the_page(team: Team, web_as):
    case = advance(team, S.REGISTERED)
    client = web_as(team.leader)
    form = client.get(f"/cases/{case.pk}/step/file/").content.decode()
    assert 'name="filed_on"' in form and 'value="2026-09-15"' in form  # today, pre-filled
    response = client.post(
        f"/cases/{case.pk}/step/file/", {"filed_on": "2025-12-01", "version": case.version}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == S.INVESTIGATING
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "已批准立案" in page and "立案登记表" in page and "作出决定期限" in page


def test_a_refused_step_shows_the_reason_and_keeps_the_input(team: Team, web_as):
    case = advance(team, S.PENDING_DECISION)
    client = web_as(team.leader)
    page = client.post(
        f"/cases/{case.pk}/step/decide/",
        {
            "decided_on": "2026-01-08",
            "outcome": "penalty",
            "kinds": ["fine"],
            "fine_yuan": "25000",
            "version": case.version,
        },
    ).content.decode()
    assert "不得因当事人陈述申辩而加重处罚" in page and 'value="25000"' in page
    case.refresh_from_db()
    assert case.status == S.PENDING_DECISION


def test_other_units_get_not_found(team: Team, web_as, make_user):
    case = advance(team, S.REGISTERED)
    outsider = web_as(make_user("tx_leader", TONGXIANG, Role.SQUADRON_LEADER))
    assert outsider.get(f"/cases/{case.pk}/").status_code == 404
    assert outsider.post(f"/cases/{case.pk}/step/file/", {"filed_on": "2025-12-01"}).status_code == 404
    case.refresh_from_db()
    assert case.status == S.REGISTERED


def test_adding_evidence_from_the_case_page(team: Team, web_as):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = advance(team, S.INVESTIGATING)
    client = web_as(team.officer)
    assert "添加证据" in client.get(f"/cases/{case.pk}/").content.decode()
    photo = SimpleUploadedFile("side.jpg", b"\xff\xd8 axles", content_type="image/jpeg")
    response = client.post(
        f"/cases/{case.pk}/evidence/", {"file": photo, "title": "侧面照（轴数）", "kind": "photo"}
    )
    assert response.status_code == 302
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "侧面照（轴数）" in page and "已入卷" in page
