"""/api/v1/waterway/findings: the caller's jurisdiction only; verification steps with codes on refusal."""

from typing import Any

import pytest

from jiafa.core.roles import Role
from jiafa.waterway import actions
from jiafa.waterway.models import Finding, Vessel
from tests.conftest import BUREAU, HAINING, TONGXIANG
from tests.waterway.river import River, finding


def test_an_officer_sees_and_verifies_only_findings_of_their_district(
    berthed: Vessel,
    make_user: Any,
    api_as: Any,
    partner: Any,  # the case's second officer (Art. 42)
) -> None:
    actions.detect()
    finding = Finding.objects.get()
    haining = api_as(make_user("hn", HAINING, Role.OFFICER))
    tongxiang = api_as(make_user("tx", TONGXIANG, Role.OFFICER))

    listed = haining.get("/waterway/findings").json()
    assert [(f["id"], f["rule"], f["zone"], f["vessel_name"]) for f in listed] == [
        (finding.pk, "illegal_berthing", "JT-01", "浙海宁货0007")
    ]
    assert listed[0]["rule_label"] == "在禁止停泊区停泊" and listed[0]["threshold"] == 30
    assert listed[0]["track"] == finding.track and listed[0]["evidence_sha256"] == ""
    assert tongxiang.get("/waterway/findings").json() == []
    other = tongxiang.post(f"/waterway/findings/{finding.pk}/dismiss", {"reason": "误报"})
    assert (other.status_code, other.json()["code"]) == (404, "not_found")

    empty = haining.post(f"/waterway/findings/{finding.pk}/dismiss", {"reason": " "})
    assert (empty.status_code, empty.json()["code"]) == (422, "invalid_input")
    stale = haining.post(f"/waterway/findings/{finding.pk}/confirm", {"check_note": "已核查", "version": 9})
    assert (stale.status_code, stale.json()["code"]) == (409, "conflict")
    done = haining.post(
        f"/waterway/findings/{finding.pk}/confirm", {"check_note": "现场核查属实", "version": 1}
    )
    assert done.status_code == 200, done.content
    assert (done.json()["status"], done.json()["version"]) == ("confirmed", 2)
    assert done.json()["case_id"] is not None
    finding.refresh_from_db()
    assert done.json()["evidence_sha256"] == finding.evidence_id != ""
    again = haining.post(f"/waterway/findings/{finding.pk}/dismiss", {"reason": "误报"})
    assert (again.status_code, again.json()["code"]) == (409, "illegal_step")


def test_auditors_may_read_but_not_verify(berthed: Vessel, make_user: Any, api_as: Any) -> None:
    actions.detect()
    finding = Finding.objects.get()
    auditor = api_as(make_user("au", HAINING, Role.AUDITOR))
    assert len(auditor.get("/waterway/findings").json()) == 1
    refused = auditor.post(f"/waterway/findings/{finding.pk}/dismiss", {"reason": "误报"})
    assert (refused.status_code, refused.json()["code"]) == (403, "forbidden")


# ── The list's filters: the queue page's, with bad values refused ─────────────────────────────────────


@pytest.fixture
def haining(river: River, make_user: Any, api_as: Any) -> Any:
    return api_as(make_user("hn", HAINING, Role.OFFICER))


def _ids(response: Any) -> list[int]:
    assert response.status_code == 200, response.content
    return [f["id"] for f in response.json()]


def test_the_list_filters_like_the_queue(river: River, haining: Any, make_user: Any, api_as: Any) -> None:
    Finding.objects.filter(pk=river.berthing.pk).update(status=Finding.Status.DISMISSED)
    assert _ids(haining.get("/waterway/findings")) == [river.dark.pk, river.dumped.pk, river.berthing.pk]
    assert _ids(haining.get("/waterway/findings?status=all")) == _ids(haining.get("/waterway/findings"))
    assert _ids(haining.get("/waterway/findings?status=pending")) == [river.dark.pk, river.dumped.pk]
    assert _ids(haining.get("/waterway/findings?status=dismissed")) == [river.berthing.pk]
    assert _ids(haining.get("/waterway/findings?rule=ais_dark")) == [river.dark.pk]
    assert _ids(haining.get("/waterway/findings?vessel=渣0101")) == [river.dumped.pk]
    assert _ids(haining.get("/waterway/findings?vessel=413000202")) == [river.dark.pk]  # the MMSI
    assert _ids(haining.get("/waterway/findings?vessel=0101")) == [river.dumped.pk]  # digits of a name
    assert _ids(haining.get("/waterway/findings?vessel=%20浙桐乡货0202%20")) == [river.dark.pk]  # read name
    assert _ids(haining.get("/waterway/findings?from=2025-06-03")) == []
    # 08:00–11:20 on 2 June in Jiaxing; the 'to' day counts whole
    assert _ids(haining.get("/waterway/findings?from=2025-06-02&to=2025-06-02")) == [
        river.dark.pk,
        river.dumped.pk,
        river.berthing.pk,
    ]
    early = finding("ais_dark", river.stranger, river.zone.org_unit, -30, 10, checkpoint=river.checkpoint)
    assert _ids(haining.get("/waterway/findings?to=2025-06-01")) == []  # 07:30 in Jiaxing is 2 June
    assert _ids(haining.get("/waterway/findings?from=2025-06-02&rule=ais_dark")) == [river.dark.pk, early.pk]
    early.delete()
    assert _ids(haining.get(f"/waterway/findings?unit={HAINING}&rule=illegal_berthing")) == [
        river.berthing.pk
    ]
    city = api_as(make_user("city", BUREAU, Role.BUREAU_LEADER))
    assert len(_ids(city.get("/waterway/findings"))) == 4
    assert _ids(city.get(f"/waterway/findings?unit={TONGXIANG}")) == [river.elsewhere.pk]
    assert _ids(city.get(f"/waterway/findings?unit={HAINING}&status=pending&limit=1&offset=1")) == [
        river.dumped.pk
    ]


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("from=2025-13-01", "参数 from：开始日期“2025-13-01”不是有效日期，应为“年-月-日”，如 2025-06-02"),
        ("to=yesterday", "参数 to：结束日期“yesterday”不是有效日期"),
        ("from=2025-06-03&to=2025-06-02", "参数 to：结束日期 2025-06-02 早于开始日期 2025-06-03"),
        (
            "rule=speeding",
            "参数 rule：线索类型“speeding”无效，可选：unlicensed_dock（在未取得许可的码头作业）",
        ),
        ("status=open", "参数 status：状态“open”无效，可选：all（全部）、pending（待核查）"),
        (f"unit={TONGXIANG}", f"参数 unit：单位“{TONGXIANG}”不存在或不在您的辖区内"),
        ("unit=999999", "参数 unit：单位“999999”不存在或不在您的辖区内"),
        ("vessel=%00", "参数 vessel：船名或 MMSI含有空字符"),
    ],
)
def test_bad_filters_are_refused_in_chinese(haining: Any, query: str, says: str) -> None:
    response = haining.get(f"/waterway/findings?{query}")
    assert response.status_code == 422
    body = response.json()
    assert body["code"] == "invalid_input"
    assert body["message"].startswith("筛选条件有误。") and says in body["message"]


def test_every_bad_filter_is_named_at_once(haining: Any) -> None:
    body = haining.get("/waterway/findings?rule=x&from=y&vessel=浙").json()
    assert "参数 rule：" in body["message"] and "参数 from：" in body["message"]
    assert "vessel" not in body["message"]
