"""The party's lookup and online defence (/lookup/): the right pair opens the case, a wrong one gets one
generic message, failures are throttled, a defence is kept for the officers without touching the case, and
the forms are CSRF-protected."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.test import Client
from django.utils import timezone

from jiafa.cases import actions
from jiafa.cases.models import Case, DefenceSubmission
from jiafa.cases.public import FAILED
from jiafa.cases.states import CaseStatus as S
from jiafa.core.models import AuditEntry
from tests.cases.conftest import HEARING_PATH, Team, advance, register, step

pytestmark = pytest.mark.django_db

ID_TAIL = "011234"  # 330402198001011234


def notified(team: Team, served_on: str = "2026-09-14", **over) -> Case:
    """A case whose notice reached the party on `served_on`: 5 working days to defend or ask for a hearing."""
    case = register(team, occurred_at=dt.datetime(2026, 9, 1, 2, tzinfo=dt.UTC), **over)
    case = step(team, case, "file", "leader", {"filed_on": "2026-09-02"})
    case = step(team, case, "conclude", "officer", HEARING_PATH[1][2])
    return step(team, case, "notify", "officer", {"served_on": served_on})


def look_up(client: Client, number: str, tail: str = ID_TAIL, ip: str = "10.0.0.1"):
    return client.post("/lookup/", {"number": number, "id_tail": tail}, REMOTE_ADDR=ip)


@pytest.fixture
def case(team: Team) -> Case:
    case = notified(team)
    actions.attach_evidence(
        case.pk,
        io.BytesIO(b"weighing record"),
        actor=team.officer,
        title="动态称重检测记录",
        kind="record",
        original_name="record.csv",
        content_type="text/csv",
        description="内部备注：复核时注意车牌",
    )
    return Case.objects.get(pk=case.pk)


def test_the_right_number_and_id_show_the_party_view(case: Case):
    client = Client()
    response = look_up(client, case.number)
    assert response.status_code == 302 and response["Location"] == "/lookup/case/"
    page = client.get("/lookup/case/").content.decode()
    assert case.number == "嘉交执立〔2026〕第00001号"
    assert case.number in page and "已告知，可陈述申辩" in page
    assert "浙F12345 六轴货车车货总质量 62,000 千克" in page  # the facts
    assert "车货总质量超过限定标准，违法超限运输" in page and "第四十三条第一款第二项" in page
    assert "罚款 20,000 元" in page  # the proposed penalty
    # The notice date and the defence deadline: 5 working days, the last the make-up Sunday of 20 September.
    assert "2026年9月14日" in page and "2026年9月20日" in page
    assert "违法行为通知书" in page and "嘉交执告〔2026〕第00001号" in page
    assert "动态称重检测记录" in page
    assert re.search(r"<code[^>]*>[0-9a-f]{64}</code>", page)  # the evidence's full SHA-256
    assert "hn_officer1" in page  # officers by name
    internal = ("内部备注", "事实清楚", "33040000001", "调查终结")  # notes, the report, certificate numbers
    assert not [text for text in internal if text in page]
    assert AuditEntry.objects.filter(action="case.party_lookup", object_id=str(case.pk)).count() == 1


def test_the_notice_number_works_too_however_the_brackets_are_typed(case: Case):
    client = Client()
    assert look_up(client, " 嘉交执告[2026]第00001号 ", "011234").status_code == 302
    assert case.number in client.get("/lookup/case/").content.decode()


def test_a_wrong_id_or_number_gets_the_same_generic_message(case: Case):
    wrong_id = look_up(Client(), case.number, "999999").content.decode()
    wrong_number = look_up(Client(), "嘉交执立〔2026〕第00009号").content.decode()
    alerts = [re.findall(r'role="alert">([^<]*)<', page) for page in (wrong_id, wrong_number)]
    assert alerts == [[FAILED], [FAILED]]
    assert AuditEntry.objects.filter(action="lookup_failed").count() == 2
    assert Client().get("/lookup/case/")["Location"] == "/lookup/"  # nothing held without a lookup


def test_a_case_not_yet_notified_cannot_be_looked_up(team: Team):
    investigating = advance(team, S.INVESTIGATING)
    assert FAILED in look_up(Client(), investigating.number).content.decode()


def test_bad_input_is_refused_without_counting_a_failure(case: Case):
    response = look_up(Client(), case.number, "1234")
    assert "请填写证件号码的最后 6 位" in response.content.decode()
    assert not AuditEntry.objects.filter(action="lookup_failed").exists()


def test_failures_are_throttled_per_address(case: Case, settings):
    settings.LOOKUP_MAX_FAILURES_PER_IP = 3
    for tail in ("000001", "000002", "000003"):
        assert FAILED in look_up(Client(), case.number, tail).content.decode()
    refused = look_up(Client(), case.number)  # even the right pair, from that address
    assert refused.status_code == 429 and "查询失败次数过多" in refused.content.decode()
    assert look_up(Client(), case.number, ip="10.0.0.2").status_code == 302  # another address


def test_failures_are_throttled_per_number(case: Case, settings):
    settings.LOOKUP_MAX_FAILURES_PER_NUMBER = 2
    look_up(Client(), case.number, "000001", ip="10.0.0.7")
    look_up(Client(), case.number, "000002", ip="10.0.0.8")
    assert look_up(Client(), case.number, ip="10.0.0.9").status_code == 429


def test_a_defence_is_kept_for_the_officers_and_never_changes_the_case(case: Case, team: Team, web_as):
    client = Client()
    look_up(client, case.number)
    response = client.post(
        "/lookup/case/",
        {"text": "称重时车辆在减速，数据不准确。", "wants_hearing": "on", "contact_phone": "138 0000 0000"},
        REMOTE_ADDR="10.0.0.1",
    )
    assert response.status_code == 302
    [sub] = DefenceSubmission.objects.all()
    assert (sub.case_id, sub.wants_hearing, sub.contact_phone, sub.ip) == (
        case.pk,
        True,
        "138 0000 0000",
        "10.0.0.1",
    )
    assert sub.submitted_at == timezone.now()
    after = Case.objects.get(pk=case.pk)
    assert (after.status, after.version) == (case.status, case.version)
    assert AuditEntry.objects.filter(action="case.defence_submitted", object_id=str(case.pk)).count() == 1
    assert "已收到您的陈述申辩" in client.get("/lookup/case/").content.decode()

    officer_page = web_as(team.officer).get(f"/cases/{case.pk}/").content.decode()
    assert "当事人在线陈述申辩" in officer_page and "称重时车辆在减速，数据不准确。" in officer_page
    assert "要求听证" in officer_page and "记录陈述申辩" in officer_page


def test_no_hearing_request_where_the_case_has_no_hearing_right(team: Team):
    small = {**HEARING_PATH[1][2], "fine_yuan": 3000, "facts_for_tier": {"overload_kg": 6000}}
    case = register(team, occurred_at=dt.datetime(2026, 9, 1, 2, tzinfo=dt.UTC))
    step(team, case, "file", "leader", {"filed_on": "2026-09-02"})
    step(team, case, "conclude", "officer", small)
    case = step(team, case, "notify", "officer", {"served_on": "2026-09-14"})
    assert not case.hearing_right
    client = Client()
    look_up(client, case.number)
    assert "我要求举行听证" not in client.get("/lookup/case/").content.decode()
    client.post("/lookup/case/", {"text": "请求从轻处罚。", "wants_hearing": "on"})
    assert DefenceSubmission.objects.get().wants_hearing is False


def test_refused_after_the_window_closes(case: Case, monkeypatch):
    client = Client()
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 9, 20, 15, 59, tzinfo=dt.UTC))
    look_up(client, case.number)
    assert 'name="text"' in client.get("/lookup/case/").content.decode()  # 23:59 on the last day
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 9, 20, 16, 0, tzinfo=dt.UTC))
    page = client.get("/lookup/case/").content.decode()  # midnight: the window has closed
    assert 'name="text"' not in page and "已于 2026年9月20日 届满" in page
    response = client.post("/lookup/case/", {"text": "迟到的申辩"})
    assert response.status_code == 409 and "已于 2026年9月20日 届满" in response.content.decode()
    assert not DefenceSubmission.objects.exists()


def test_the_session_lapses(case: Case, monkeypatch):
    client = Client()
    look_up(client, case.number)
    monkeypatch.setattr(timezone, "now", lambda: dt.datetime(2026, 9, 15, 3, 1, tzinfo=dt.UTC))
    assert client.get("/lookup/case/")["Location"] == "/lookup/"


def _token(client: Client, path: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', client.get(path).content.decode())
    assert found is not None
    return found[1]


def test_csrf_is_enforced(case: Case):
    client = Client(enforce_csrf_checks=True)
    assert client.post("/lookup/", {"number": case.number, "id_tail": ID_TAIL}).status_code == 403
    form = {"number": case.number, "id_tail": ID_TAIL, "csrfmiddlewaretoken": _token(client, "/lookup/")}
    assert client.post("/lookup/", form).status_code == 302
    assert client.post("/lookup/case/", {"text": "申辩"}).status_code == 403
    defence = {"text": "申辩", "csrfmiddlewaretoken": _token(client, "/lookup/case/")}
    assert client.post("/lookup/case/", defence).status_code == 302
    assert DefenceSubmission.objects.count() == 1
