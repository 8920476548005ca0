"""Reviews (行政复议) and lawsuits (行政诉讼) brought against a decision: recorded on the case with their
result, on its timeline and the audit trail, refused with a reason when they cannot be, and never moving the
case."""

from __future__ import annotations

import datetime as dt

import pytest

from jiafa.cases import actions
from jiafa.cases.models import Remedy
from jiafa.cases.states import CaseStatus
from jiafa.core.errors import JiafaError
from jiafa.core.models import AuditEntry
from jiafa.core.roles import Role
from tests.cases.conftest import S, Team, advance
from tests.conftest import TONGXIANG

pytestmark = pytest.mark.django_db
DECIDED = dt.date(2026, 1, 8)  # HEARING_PATH's decision


def test_a_review_and_its_result_are_recorded_without_moving_the_case(team: Team):
    case = advance(team, S.EXECUTING)
    remedy = actions.record_remedy(
        case.pk, actor=team.reviewer, kind="review", filed_on=dt.date(2026, 2, 3), body=" 嘉兴市人民政府 "
    )
    assert (remedy.kind, remedy.body, remedy.result) == ("review", "嘉兴市人民政府", "pending")
    done = actions.remedy_result(
        remedy.pk, actor=team.reviewer, result="changed", decided_on=dt.date(2026, 4, 2), note="变更罚款数额"
    )
    assert done.corrected and done.get_result_display() == "变更"
    case.refresh_from_db()
    assert case.status == CaseStatus.EXECUTING  # the decision is executed meanwhile
    kinds = list(case.events.order_by("id").values_list("kind", flat=True))
    assert kinds[-2:] == ["remedy", "remedy_result"]
    actions_logged = list(AuditEntry.objects.order_by("seq").values_list("action", flat=True))
    assert actions_logged[-2:] == ["case.remedy", "case.remedy_result"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"kind": "appeal"}, "类型应为行政复议或行政诉讼"),
        ({"body": "  "}, "请填写复议机关或人民法院"),
        ({"filed_on": DECIDED - dt.timedelta(days=1)}, "不能早于决定日期"),
        ({"filed_on": dt.date(2026, 9, 16)}, "不能晚于今天"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_written(team: Team, fields: dict, message: str):
    case = advance(team, S.EXECUTING)
    entries = AuditEntry.objects.count()
    given = {"kind": "lawsuit", "filed_on": dt.date(2026, 3, 1), "body": "海宁市人民法院"} | fields
    with pytest.raises(JiafaError, match=message):
        actions.record_remedy(case.pk, actor=team.officer, **given)
    assert not Remedy.objects.exists() and AuditEntry.objects.count() == entries


def test_nothing_to_challenge_before_a_decision(team: Team):
    case = advance(team, S.NOTIFIED)
    with pytest.raises(JiafaError) as e:
        actions.record_remedy(
            case.pk, actor=team.officer, kind="review", filed_on=dt.date(2026, 1, 5), body="嘉兴市人民政府"
        )
    assert e.value.code == "step_not_ready" and "尚未作出" in e.value.message


def test_only_enforcement_staff_record_and_a_result_is_recorded_once(team: Team, make_user):
    case = advance(team, S.EXECUTING)
    auditor = make_user("aud", TONGXIANG, Role.AUDITOR)
    with pytest.raises(JiafaError) as e:
        actions.record_remedy(
            case.pk, actor=auditor, kind="review", filed_on=dt.date(2026, 2, 3), body="嘉兴市人民政府"
        )
    assert e.value.code == "forbidden"
    remedy = actions.record_remedy(
        case.pk, actor=team.officer, kind="review", filed_on=dt.date(2026, 2, 3), body="嘉兴市人民政府"
    )
    actions.remedy_result(remedy.pk, actor=team.officer, result="upheld", decided_on=dt.date(2026, 3, 3))
    with pytest.raises(JiafaError) as again:
        actions.remedy_result(remedy.pk, actor=team.leader, result="revoked", decided_on=dt.date(2026, 3, 4))
    assert again.value.code == "conflict"
    with pytest.raises(JiafaError, match="结果应为"):
        actions.remedy_result(remedy.pk, actor=team.leader, result="pending", decided_on=dt.date(2026, 3, 4))


def test_outside_the_jurisdiction_the_case_is_not_found(team: Team, make_user):
    case = advance(team, S.EXECUTING)
    stranger = make_user("tx_off", TONGXIANG, Role.OFFICER)
    with pytest.raises(JiafaError) as e:
        actions.record_remedy(
            case.pk, actor=stranger, kind="review", filed_on=dt.date(2026, 2, 3), body="嘉兴市人民政府"
        )
    assert e.value.code == "not_found"


def test_api_and_case_page(team: Team, api_as, web_as):
    case = advance(team, S.EXECUTING)
    api = api_as(team.officer)
    bad = api.post(
        f"/cases/{case.pk}/remedies", {"kind": "review", "filed_on": "2025-12-01", "body": "市政府"}
    )
    assert (
        bad.status_code == 422
        and bad.json()["code"] == "invalid_input"
        and "决定日期" in bad.json()["message"]
    )
    made = api.post(
        f"/cases/{case.pk}/remedies", {"kind": "lawsuit", "filed_on": "2026-03-01", "body": "海宁市人民法院"}
    )
    assert made.status_code == 201 and made.json()["result_label"] == "审理中"
    ended = api.post(
        f"/remedies/{made.json()['id']}/result", {"result": "revoked", "decided_on": "2026-06-01"}
    )
    assert ended.json()["result_label"] == "撤销"
    assert api.get(f"/cases/{case.pk}").json()["remedies"][0]["body"] == "海宁市人民法院"

    web = web_as(team.leader)
    page = web.get(f"/cases/{case.pk}/").content.decode()
    assert "复议与诉讼" in page and "海宁市人民法院" in page and "撤销" in page
    posted = web.post(f"/cases/{case.pk}/remedies/", {"kind": "review", "filed_on": "not a day", "body": "x"})
    assert posted.status_code == 302 and Remedy.objects.count() == 1
    shown = web.get(f"/cases/{case.pk}/").content.decode()
    assert "请填写有效的申请或起诉日期" in shown
