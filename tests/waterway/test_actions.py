"""Detection over the lake into findings, once; verification: confirm into a case, hand over, dismiss."""

import csv
import hashlib
import io
import json
import zipfile
from datetime import UTC, datetime, timedelta
from typing import Any

import polars as pl
import pytest
from django.urls import reverse

from jiafa.cases.actions import case_evidence
from jiafa.cases.models import Source
from jiafa.core import evidence
from jiafa.core.errors import JiafaError
from jiafa.core.models import AuditEntry, EvidenceBlob, EvidenceItem
from jiafa.core.roles import Role
from jiafa.waterway import actions, packs, pipeline, records
from jiafa.waterway.models import Checkpoint, Finding, Vessel
from tests.conftest import HAINING, run_command


def test_detect_records_a_finding_once(berthed: Vessel) -> None:
    code, out, err = run_command("waterway", "detect", "--json")
    assert code == 0, err
    assert '"created": 1' in out
    finding = Finding.objects.get()
    assert finding.zone is not None and finding.zone.code == "JT-01"
    assert (finding.rule, finding.vessel) == ("illegal_berthing", berthed)
    assert finding.value == pytest.approx(45) and finding.threshold == 30
    assert finding.org_unit.code == HAINING
    assert actions.detect().created == 0
    assert AuditEntry.objects.filter(action="waterway.detect").count() == 2


def test_confirming_registers_a_waterway_case_against_the_owner(
    berthed: Vessel, make_user: Any, request: pytest.FixtureRequest
) -> None:
    actions.detect()
    finding = Finding.objects.get()
    officer = make_user("officer1", HAINING, Role.OFFICER)
    officer.certificate_no = "33040000101"
    officer.save()
    with pytest.raises(JiafaError) as e:
        actions.confirm(finding, actor=officer, check_note=" ")
    assert e.value.code == "invalid_input"
    with pytest.raises(JiafaError) as alone:  # Art. 42: two certified officers handle a case
        actions.confirm(finding, actor=officer, check_note="现场核查：船舶在禁停区内系泊，船长在场")
    assert alone.value.code == "step_not_ready"
    partner = request.getfixturevalue("partner")
    case = actions.confirm(finding, actor=officer, check_note="现场核查：船舶在禁停区内系泊，船长在场")
    assert set(case.officers.all()) == {officer, partner}
    assert (case.source, case.violation_code, case.party_name, case.vessel_name) == (
        Source.WATERWAY,
        "SL-01",
        "海宁某航运有限公司",
        "浙海宁货0007",
    )
    finding.refresh_from_db()
    assert (finding.status, finding.case, finding.version) == (Finding.Status.CONFIRMED, case, 2)
    with pytest.raises(JiafaError) as again:
        actions.dismiss(finding, actor=officer, reason="误报")
    assert again.value.code == "illegal_step"


def test_dismissing_keeps_the_reason_and_auditors_may_not_verify(berthed: Vessel, make_user: Any) -> None:
    actions.detect()
    finding = Finding.objects.get()
    with pytest.raises(JiafaError) as e:
        actions.dismiss(finding, actor=make_user("audit1", HAINING, Role.AUDITOR), reason="误报")
    assert e.value.code == "forbidden"
    officer = make_user("officer1", HAINING, Role.OFFICER)
    with pytest.raises(JiafaError) as stale:
        actions.dismiss(finding, actor=officer, reason="误报", version=7)
    assert stale.value.code == "conflict"
    actions.dismiss(finding, actor=officer, reason="船舶因故障临时停泊，已报海事")
    finding.refresh_from_db()
    assert (finding.status, finding.dismiss_reason) == (
        Finding.Status.DISMISSED,
        "船舶因故障临时停泊，已报海事",
    )


def test_a_muck_finding_is_handed_over_not_confirmed(berthed: Vessel, make_user: Any) -> None:
    actions.detect()
    finding = Finding.objects.get()
    Finding.objects.filter(pk=finding.pk).update(rule="muck_outside_dumping_zone")
    finding.refresh_from_db()
    officer = make_user("officer1", HAINING, Role.OFFICER)
    with pytest.raises(JiafaError) as e:
        actions.confirm(finding, actor=officer, check_note="已核查")
    assert e.value.code == "step_not_ready"
    actions.hand_over(
        finding, actor=officer, to="海宁市综合行政执法局", check_note="船舱已空，卸载地点在消纳点外"
    )
    finding.refresh_from_db()
    assert (finding.status, finding.handed_over_to) == (Finding.Status.HANDED_OVER, "海宁市综合行政执法局")


def _pack(blob_sha: str) -> zipfile.ZipFile:
    data = EvidenceBlob(sha256=blob_sha).path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == blob_sha
    return zipfile.ZipFile(io.BytesIO(data))


def test_a_confirmed_finding_brings_its_evidence_pack_into_the_case_file(
    berthed: Vessel, make_user: Any, web_as: Any, partner: Any
) -> None:
    actions.detect()
    finding = Finding.objects.get()
    assert len(finding.track) == 1 + 46 + 1  # arriving, 45 minutes stopped a report a minute, leaving
    officer = make_user("officer1", HAINING, Role.OFFICER)
    case = actions.confirm(finding, actor=officer, check_note="现场核查：船舶在禁停区内系泊")
    finding.refresh_from_db()
    (item,) = case_evidence(case)
    assert item.blob_id == finding.evidence_id and item.title.startswith("水网线索证据包")
    pack = _pack(item.blob_id)
    assert pack.namelist() == ["finding.json", "track.csv", "track.geojson", "checkpoint.csv"]
    facts = json.loads(pack.read("finding.json"))
    assert (facts["finding"]["value"], facts["finding"]["threshold"]) == (45, 30)
    assert facts["finding"]["zone"]["code"] == "JT-01" and facts["rule"]["violation"] == "SL-01"
    minimum = next(s for s in facts["rule"]["settings"] if s["key"] == "waterway.berthing.min_minutes")
    assert (minimum["value"], minimum["unit"], minimum["article"]) == (
        30,
        "minutes",
        "非法停泊、无证码头作业",
    )
    assert facts["check"]["note"] == "现场核查：船舶在禁停区内系泊"
    for name in ("track.csv", "track.geojson", "checkpoint.csv"):
        assert facts["files"][name] == hashlib.sha256(pack.read(name)).hexdigest()
    rows = list(csv.reader(io.StringIO(pack.read("track.csv").decode("utf-8-sig"))))
    assert rows[0] == ["time_utc", "time_china", "lat", "lon", "speed_kn"]
    assert [r[0] for r in rows[1:]] == [p[0] for p in finding.track]
    line = json.loads(pack.read("track.geojson"))["features"][0]["geometry"]
    assert line["type"] == "LineString" and len(line["coordinates"]) == len(finding.track)
    # The case file lists it, with its hash, while the case is only registered.
    page = web_as(officer).get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert item.title in page and item.blob_id[:8] in page


def test_a_handed_over_finding_keeps_its_pack_and_the_checkpoint_photo(org: Any, make_user: Any) -> None:
    unit = org[HAINING]
    checkpoint = Checkpoint.objects.create(
        code="KK01", name="长山河卡口", waterway="长山河", org_unit=unit, lat=30.73, lon=120.75
    )
    photo = evidence.store(io.BytesIO(b"\xff\xd8 a photo of a barge \xff\xd9"), "image/jpeg")
    seen = datetime(2025, 6, 2, 4, 0, tzinfo=UTC)
    record = pl.DataFrame(
        [
            {
                "record_id": "R1",
                "checkpoint": "KK01",
                "time": seen,
                "ship_name": "浙海宁货0008",
                "confidence": 0.93,
                "direction": "上行",
                "photo": photo.sha256,
            }
        ],
        schema=records.PASSAGE_SCHEMA,
    )
    pipeline.add(pipeline.lake_root(), {pipeline.PASSAGES: record})
    finding = Finding.objects.create(
        key="ais_dark|413000008|2025-06-02T03:30:00+00:00",
        rule="ais_dark",
        mmsi=413_000_008,
        org_unit=unit,
        start=seen - timedelta(minutes=30),
        end=seen + timedelta(minutes=20),
        checkpoint=checkpoint,
        value=50,
        threshold=30,
        record_id="R1",
        seen_name="浙海宁货0008",
        photo=photo.sha256,
    )
    officer = make_user("officer1", HAINING, Role.OFFICER)
    actions.hand_over(finding, actor=officer, to="嘉兴海事局", check_note="AIS 设备故障，移交海事")
    finding.refresh_from_db()
    linked = EvidenceItem.objects.filter(linked_id=str(finding.pk)).order_by("kind")
    assert [(i.kind, i.blob_id) for i in linked] == [("photo", photo.sha256), ("record", finding.evidence_id)]
    pack = _pack(finding.evidence_id)
    facts = json.loads(pack.read("finding.json"))
    assert facts["photos"] == [{"record_id": "R1", "sha256": photo.sha256, "stored": True}]
    assert facts["check"]["handed_over_to"] == "嘉兴海事局"
    rows = list(csv.reader(io.StringIO(pack.read("checkpoint.csv").decode("utf-8-sig"))))
    assert rows[1][:4] == ["R1", "KK01", "2025-06-02T12:00:00+08:00", "浙海宁货0008"]
    assert rows[1][-1] == photo.sha256
    assert (
        packs.build(finding) == EvidenceBlob(sha256=finding.evidence_id).path.read_bytes()
    )  # the same bytes
