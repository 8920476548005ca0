"""The review of non-site findings (初审) and the bulk filing that follows: through review.py and the API."""

from __future__ import annotations

import datetime as dt
import importlib
import json
import os

import pytest
from django.apps import apps as django_apps

from jiafa.cases.models import Case, DocumentKind
from jiafa.cases.states import CaseStatus
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import AuditEntry, EvidenceItem
from jiafa.overload import packs, review
from jiafa.overload.models import Finding, Vehicle
from tests.overload.review_world import NOW, OWNER, World, freeze

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clock(monkeypatch):
    freeze(monkeypatch)


@pytest.fixture
def world(make_user, org):
    return World(make_user, org)


def test_confirming_registers_a_non_site_case_against_the_owner_with_the_facts_and_two_officers(world):
    team, f = world.team, world.finding()
    assert (f.overload_kg, f.outcome, f.fine_yuan) == (9900, "fine", 4500)  # 62 t, 6 axles, 5% tolerance

    confirmed = review.confirm(f.pk, actor=team.officer, version=1)

    case = confirmed.case
    assert (confirmed.status, confirmed.version, confirmed.reviewed_by) == ("confirmed", 2, team.officer)
    assert (case.status, case.source, case.violation_code) == (CaseStatus.REGISTERED, "non_site", "CX-01")
    assert (case.party_kind, case.party_name, case.party_id_no, case.party_address) == (
        "organisation",
        "嘉兴某某物流有限公司",
        "91330400MA2B123456",
        "嘉兴市南湖区某路1号",
    )
    assert case.facts_for_tier == {"overload_kg": 9900, "repeat_12m": 0, "corrected": False}
    assert set(case.officers.all()) == {team.officer, team.partner}
    assert (case.vehicle_plate, case.occurred_at, case.source_ref) == ("浙F12345", f.passed_at, f.record_id)
    assert "车货总质量62000千克" in case.facts and "超限9900千克" in case.facts
    assert case.place == "G60 海宁许村（上行）"
    entry = AuditEntry.objects.get(action="finding.confirm")
    assert (entry.object_id, entry.detail["case"], entry.detail["partner"]) == (
        str(f.pk),
        case.pk,
        "hn_officer2",
    )


def test_the_partner_is_the_other_certified_officer_of_the_station_unit_officers_before_the_leader(world):
    team = world.team
    by_partner = review.confirm(world.finding().pk, actor=team.partner).case
    by_leader = review.confirm(world.finding().pk, actor=team.leader).case
    assert set(by_partner.officers.all()) == {team.partner, team.officer}
    assert set(by_leader.officers.all()) == {team.leader, team.officer}  # hn_officer1 sorts first


def test_without_a_certified_partner_the_confirmation_is_refused_and_nothing_changes(world):
    team = world.team
    for u in (team.partner, team.leader):
        u.certificate_no = ""
        u.save()
    f = world.finding()
    with pytest.raises(JiafaError) as e:
        review.confirm(f.pk, actor=team.officer)
    assert e.value.code == ErrorCode.STEP_NOT_READY
    assert "第四十二条" in e.value.message
    f.refresh_from_db()
    assert (f.status, f.case, Case.objects.count()) == ("pending", None, 0)


def test_repeat_offences_count_confirmed_findings_of_the_plate_in_the_previous_twelve_months(world):
    team = world.team
    for days in (90, 300):
        review.confirm(world.finding(passed_at=NOW - dt.timedelta(days=days)).pk, actor=team.officer)
    review.confirm(world.finding(passed_at=NOW - dt.timedelta(days=400)).pk, actor=team.officer)  # too old
    world.finding(passed_at=NOW - dt.timedelta(days=30), status=Finding.Status.DISMISSED)
    review.confirm(world.finding("浙F67890", passed_at=NOW - dt.timedelta(days=20)).pk, actor=team.officer)

    case = review.confirm(world.finding().pk, actor=team.officer).case
    assert case.facts_for_tier["repeat_12m"] == 2


def test_dismissing_keeps_the_reason_and_registers_nothing(world):
    f = world.finding()
    dismissed = review.dismiss(f.pk, actor=world.team.officer, reason=" 车牌识别错误：实为浙F12845 ")
    assert (dismissed.status, dismissed.dismiss_reason) == ("dismissed", "车牌识别错误：实为浙F12845")
    assert dismissed.case is None and not Case.objects.exists()
    assert AuditEntry.objects.get(action="finding.dismiss").detail == {"reason": "车牌识别错误：实为浙F12845"}
    with pytest.raises(JiafaError, match="排除理由"):
        review.dismiss(world.finding().pk, actor=world.team.officer, reason="  ")


def test_a_reviewed_finding_cannot_be_reviewed_again(world, api_as):
    f = world.finding()
    client = api_as(world.team.officer)
    assert client.post(f"/overload/findings/{f.pk}/confirm", {}).status_code == 200
    again = client.post(f"/overload/findings/{f.pk}/confirm", {})
    assert again.status_code == 409
    assert again.json()["code"] == "illegal_step"
    assert "已确认" in again.json()["message"]
    assert client.post(f"/overload/findings/{f.pk}/dismiss", {"reason": "其他"}).status_code == 409
    assert Case.objects.count() == 1


def test_a_stale_version_is_a_conflict(world, api_as):
    f = world.finding()
    Finding.objects.filter(pk=f.pk).update(version=2)  # someone touched it after the page was loaded
    response = api_as(world.team.officer).post(f"/overload/findings/{f.pk}/confirm", {"version": 1})
    assert response.status_code == 409
    assert response.json()["code"] == "conflict"
    assert Finding.objects.get(pk=f.pk).status == "pending"


def test_another_units_officer_gets_404_in_the_api_and_the_action(world, api_as):
    f = world.finding()
    client = api_as(world.stranger)
    assert client.get(f"/overload/findings/{f.pk}").status_code == 404
    assert client.post(f"/overload/findings/{f.pk}/confirm", {}).json()["code"] == "not_found"
    assert client.post(f"/overload/findings/{f.pk}/dismiss", {"reason": "x"}).status_code == 404
    assert [x["id"] for x in client.get("/overload/findings").json()] == []
    with pytest.raises(JiafaError) as e:
        review.confirm(f.pk, actor=world.stranger)
    assert e.value.code == ErrorCode.NOT_FOUND


def test_only_officers_and_squadron_leaders_review(world, api_as):
    f = world.finding()
    response = api_as(world.team.reviewer).post(f"/overload/findings/{f.pk}/confirm", {})
    assert (response.status_code, response.json()["code"]) == (403, "forbidden")


def test_a_plate_missing_from_the_register_is_refused_unless_the_owner_is_given(world, api_as):
    f = world.finding("浙A99999")
    client = api_as(world.team.officer)
    refused = client.post(f"/overload/findings/{f.pk}/confirm", {})
    assert refused.status_code == 409
    assert "不在车辆登记库中" in refused.json()["message"]
    owner = {"kind": "person", "name": "王五", "id_no": "330481199001011111", "phone": "13900000000"}
    response = client.post(f"/overload/findings/{f.pk}/confirm", {"owner": owner})
    assert response.status_code == 200, response.content
    vehicle = Vehicle.objects.get(plate="浙A99999", plate_color="黄")
    assert (vehicle.owner_name, vehicle.owner_kind, vehicle.axles) == ("王五", "person", 6)
    assert Case.objects.get(pk=response.json()["case_id"]).party_name == "王五"
    assert AuditEntry.objects.filter(action="vehicle.add").count() == 1


def test_the_findings_api_lists_the_jurisdiction_with_rule_numbers_basis_and_evidence(world, api_as):
    mine, _ = world.finding(), world.finding(station=world.far_station)
    big = world.finding("浙F67890", 104000)
    review.dismiss(big.pk, actor=world.team.officer, reason="其他：测试")
    client = api_as(world.team.officer)
    rows = client.get("/overload/findings?status=pending").json()
    assert [r["id"] for r in rows] == [mine.pk]
    row = rows[0]
    assert (row["rule"], row["station"], row["gross_kg"], row["limit_kg"]) == (
        "CX-01",
        "HN-G60-01",
        62000,
        49000,
    )
    assert (row["overload_kg"], row["overload_rate"], row["fine_yuan"]) == (9900, 0.202, 4500)
    assert row["record_ids"] == [mine.record_id]
    assert row["evidence_sha256"] == mine.pack_sha256 and len(row["evidence_sha256"]) == 64
    assert row["basis"][0]["article"].startswith("第三条")
    assert row["rule_name"] == "车货总质量超过限定标准，违法超限运输"
    flagged = client.get("/overload/findings?plate=f678&status=dismissed").json()
    assert [(r["id"], r["hundred_tonne"], r["dismiss_reason"]) for r in flagged] == [
        (big.pk, True, "其他：测试")
    ]
    day = NOW.date().isoformat()
    assert client.get(f"/overload/findings?from={day}").json() == []
    assert client.get("/overload/findings?station=TX-S12-01").json() == []


def test_bulk_review_is_all_or_nothing(world, api_as):
    a, b, unknown_plate = world.finding(), world.finding("浙F67890"), world.finding("浙A00000")
    client = api_as(world.team.officer)
    body = {
        "confirm": [a.pk, {"id": unknown_plate.pk}],
        "dismiss": [{"id": b.pk, "reason": "同一行程重复线索"}],
    }
    refused = client.post("/overload/findings/review", body)
    assert refused.status_code == 409
    assert f"线索 #{unknown_plate.pk}" in refused.json()["message"]
    assert set(Finding.objects.values_list("status", flat=True)) == {"pending"}
    assert not Case.objects.exists()

    ok = client.post(
        "/overload/findings/review", {"confirm": [a.pk], "dismiss": [{"id": b.pk, "reason": "x"}]}
    )
    assert ok.status_code == 200, ok.content
    assert [f["status"] for f in ok.json()["confirmed"]] == ["confirmed"]
    assert [f["dismiss_reason"] for f in ok.json()["dismissed"]] == ["x"]
    twice = client.post("/overload/findings/review", {"confirm": [unknown_plate.pk, unknown_plate.pk]})
    assert twice.status_code == 422


def _confirmed_case(world, plate="浙F12345", gross_kg=62000):
    return review.confirm(world.finding(plate, gross_kg).pk, actor=world.team.officer).case


def test_bulk_filing_files_concludes_and_notifies_each_case_and_reports_the_failing_one(world, api_as):
    fined, warned = _confirmed_case(world), _confirmed_case(world, "浙F67890", 52000)
    broken = _confirmed_case(world)
    broken.findings.get().evidence.path.unlink()  # the pack's file is gone: this case must not be filed
    response = api_as(world.team.leader).post(
        "/overload/cases/file",
        {"case_ids": [fined.pk, broken.pk, warned.pk, 999999], "served_on": "2026-09-15"},
    )
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["filed"], data["failed"]) == (2, 2)
    by_id = {r["case_id"]: r for r in data["results"]}
    assert by_id[broken.pk]["ok"] is False and "证据包文件缺失" in by_id[broken.pk]["message"]
    assert (by_id[broken.pk]["status"], by_id[999999]["code"]) == ("registered", "not_found")
    broken.refresh_from_db()
    assert (broken.status, broken.number, broken.documents.count()) == ("registered", "", 0)

    for case, kinds, fine in ((fined, ["fine"], 4500), (warned, ["warning"], 0)):
        case.refresh_from_db()
        result = by_id[case.pk]
        notice = case.documents.get(kind=DocumentKind.NOTICE)
        assert result["ok"] and (result["status"], result["number"]) == ("notified", case.number)
        assert (result["notice_id"], result["notice_number"]) == (notice.pk, notice.number)
        assert case.number.startswith("嘉交执立") and notice.number.startswith("嘉交执告")
        assert (case.filed_on, case.notice_served_on) == (dt.date(2026, 9, 15), dt.date(2026, 9, 15))
        assert (case.proposed_kinds, case.proposed_fine_yuan, case.tier) == (
            kinds,
            fine,
            "一般" if fine else "轻微",
        )
        assert (notice.content["kinds"], notice.content["proposed_fine_yuan"]) == (kinds, fine)
        pack = EvidenceItem.objects.get(linked_id=str(case.pk))
        assert pack.blob_id == case.findings.get().evidence_id
    assert fined.documents.get(kind=DocumentKind.NOTICE).number != warned.documents.get(kind="notice").number


def test_bulk_filing_is_for_squadron_leaders_and_refuses_other_cases(world, api_as, make_user):
    case = _confirmed_case(world)
    officer = api_as(world.team.officer).post(
        "/overload/cases/file", {"case_ids": [case.pk], "served_on": "2026-09-15"}
    )
    assert officer.status_code == 403
    other = Case.objects.create(
        org_unit=case.org_unit,
        source="inspection",
        registered_by=world.team.officer,
        violation_code="CX-01",
        occurred_at=NOW,
        place="现场",
        facts="现场检查",
        party_kind="person",
        party_name="张三",
        party_id_no="330402198001011234",
    )
    data = (
        api_as(world.team.leader)
        .post("/overload/cases/file", {"case_ids": [other.pk], "served_on": "2026-09-15"})
        .json()
    )
    assert data["results"][0]["message"] == "不是非现场执法案件，请在案件页面办理"


def test_a_registered_non_site_case_waits_on_the_leaders_list_until_filed(world):
    case = _confirmed_case(world)
    assert list(review.registered_non_site(world.team.leader)) == [case]
    assert list(review.registered_non_site(world.stranger)) == []
    review.file_non_site([case.pk], actor=world.team.leader, served_on=dt.date(2026, 9, 15))
    assert list(review.registered_non_site(world.team.leader)) == []


def test_the_register_owner_wins_over_owner_fields_sent_for_a_registered_plate(world, api_as):
    f = world.finding()
    owner = {"kind": "person", "name": "冒名", "id_no": "1"}
    response = api_as(world.team.officer).post(f"/overload/findings/{f.pk}/confirm", {"owner": owner})
    assert response.status_code == 422
    assert Vehicle.objects.get(plate="浙F12345").owner_name == OWNER["owner_name"]


# ── The evidence pack on confirming ─────────────────────────────────────────────────────────────────


def test_confirming_stores_the_pack_as_its_own_blob_and_filing_attaches_it(world):
    f = world.finding()
    assert f.evidence_id is None and f.pack_archive_id is not None
    pack = packs.read(f)
    review.confirm(f.pk, actor=world.team.officer)
    f.refresh_from_db()
    assert f.evidence_id == f.pack_sha256 and f.evidence is not None
    assert f.evidence.path.read_bytes() == pack and f.evidence.content_type == "application/json"
    [result] = review.file_non_site([f.case_id], actor=world.team.leader, served_on=dt.date(2026, 9, 15))
    assert result.ok, result.message
    item = EvidenceItem.objects.get(linked_id=str(f.case_id))
    assert item.blob_id == f.pack_sha256 and item.blob.path.read_bytes() == pack


def test_a_pack_whose_archive_was_changed_is_not_confirmed(world):
    f = world.finding()
    path = f.pack_archive.path
    os.chmod(path, 0o644)
    path.write_bytes(path.read_bytes().replace(b"photo_front", b"photo_fronT"))
    with pytest.raises(JiafaError) as e:
        review.confirm(f.pk, actor=world.team.officer)
    assert e.value.code == ErrorCode.CONFLICT and "哈希值不符" in e.value.message
    f.refresh_from_db()
    assert (f.status, f.case_id, f.evidence_id, Case.objects.count()) == ("pending", None, None, 0)


def test_a_finding_stored_before_archives_keeps_its_own_pack(world):
    f = world.finding(own_blob=True)
    assert f.pack_archive_id is None and f.evidence_id == f.pack_sha256
    review.confirm(f.pk, actor=world.team.officer)
    f.refresh_from_db()
    assert f.evidence_id == f.pack_sha256 and f.status == "confirmed"
    [result] = review.file_non_site([f.case_id], actor=world.team.leader, served_on=dt.date(2026, 9, 15))
    assert result.ok and EvidenceItem.objects.get(linked_id=str(f.case_id)).blob_id == f.evidence_id


def test_the_migration_gives_findings_stored_before_archives_their_packs_hash(world):
    f = world.finding(own_blob=True)
    Finding.objects.filter(pk=f.pk).update(pack_sha256="")
    migration = importlib.import_module("jiafa.overload.migrations.0003_finding_pack_archive")
    migration.pack_hashes(django_apps, None)
    f.refresh_from_db()
    assert f.pack_sha256 == f.evidence_id and len(f.pack_sha256) == 64
    assert json.loads(packs.read(f))["record_id"] == f.record_id
