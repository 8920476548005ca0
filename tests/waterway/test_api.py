"""/api/v1/waterway/findings: the caller's jurisdiction only; verification steps with codes on refusal."""

from typing import Any

from jiafa.core.roles import Role
from jiafa.waterway import actions
from jiafa.waterway.models import Finding, Vessel
from tests.conftest import HAINING, TONGXIANG


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
