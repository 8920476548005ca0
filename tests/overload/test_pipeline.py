"""The non-site pipeline on the database (overload/pipeline.py and `jiafa overload ingest|detect`): records
from files and pushes into the lake, findings one per trip, idempotent, with their evidence packs."""

from __future__ import annotations

import hashlib
import io
import json
import os
import threading
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from django.core.management import call_command

from jiafa.core import evidence
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import AuditEntry, EvidenceBlob, OrgUnit
from jiafa.overload import lake, packs, pipeline, records
from jiafa.overload.models import Calibration, Finding, IngestBatch, WimStation
from tests.conftest import HAINING, TONGXIANG, run_command
from tests.overload.test_records import HEADER, NOON, csv_line, frame, record

LOADS_65T = [7500, 11900, 11900, 11200, 11200, 11300]


@pytest.fixture
def world(org: dict[str, OrgUnit], settings: Any, tmp_path: Path) -> dict[str, WimStation]:
    settings.DATA_DIR = tmp_path / "data"
    stations = {}
    for code, unit, valid_to in (
        ("ZJ-001", HAINING, date(2025, 12, 31)),
        ("ZJ-002", TONGXIANG, date(2025, 12, 31)),
        ("ZJ-003", HAINING, date(2025, 5, 31)),  # expired the day before the records
    ):
        station = WimStation.objects.create(
            code=code,
            name=f"{code}检测点",
            org_unit=org[unit],
            road="G60",
            direction="上行",
            lat=30.5,
            lon=120.7,
        )
        Calibration.objects.create(
            station=station,
            certificate_no=f"JD-{code}",
            issued_by="浙江省计量科学研究院",
            valid_from=date(2025, 1, 1),
            valid_to=valid_to,
        )
        stations[code] = station
    return stations


def trip_rows() -> list[dict[str, Any]]:
    """Vehicle A over the limit at two stations two hours apart (the second pass the heavier), B within
    the limit, C a two-axle truck in the warning band, and a record whose plate was not read."""
    return [
        record(record_id="A1", station_id="ZJ-001", passed_at=NOON),
        record(
            record_id="A2",
            station_id="ZJ-002",
            passed_at=NOON + timedelta(hours=2),
            gross_kg=65000,
            axle_loads_kg=LOADS_65T,
        ),
        record(
            record_id="B1",
            plate="浙F00001",
            gross_kg=40000,
            axle_loads_kg=[6000, 7000, 7000, 6600, 6700, 6700],
        ),
        record(
            record_id="C1",
            plate="浙F00002",
            axles=2,
            combination=False,
            gross_kg=19950,
            axle_loads_kg=[7000, 12950],
            axle_spacings_mm=[4500],
        ),
        record(record_id="D1", plate="未识别"),
    ]


def write_csv(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("\n".join([HEADER, *map(csv_line, rows)]) + "\n", encoding="utf-8")
    return path


def findings() -> list[dict[str, Any]]:
    """What a user sees of the findings, without database ids and times of creation."""
    keep = (
        "record_id",
        "record_ids",
        "station__code",
        "org_unit__code",
        "passed_at",
        "plate",
        "plate_color",
        "axles",
        "gross_kg",
        "limit_kg",
        "tolerance_kg",
        "overload_kg",
        "overload_rate",
        "outcome",
        "fine_yuan",
        "hundred_tonne",
        "serious",
        "basis",
        "pack_sha256",
        "status",
        "version",
    )
    return list(Finding.objects.order_by("record_id").values(*keep))


def lake_parts(area: str = lake.VALID) -> list[Path]:
    return sorted((pipeline.lake_root() / area).glob("date=*/part-*.parquet"))


# ── Ingest and detect ────────────────────────────────────────────────────────────────────────────────


def test_csv_parquet_and_push_make_identical_findings(world, settings, tmp_path):
    rows = trip_rows()
    batch = pipeline.ingest_path(write_csv(tmp_path / "records.csv", rows))
    assert (batch.records, batch.accepted, batch.duplicates, batch.rejected) == (5, 4, 0, {"plate": 1})
    assert pipeline.detect().findings_created == 2
    from_csv = findings()
    assert [(f["record_id"], f["outcome"], f["fine_yuan"]) for f in from_csv] == [
        ("A2", "fine", 6000),  # 65,000 − 3,250 = 61,750: 12,750 kg over, 12 whole tonnes
        ("C1", "warning", 0),
    ]

    parquet = tmp_path / "records.parquet"
    frame(*rows).write_parquet(parquet)
    Finding.objects.all().delete()
    settings.DATA_DIR = tmp_path / "second"
    pipeline.ingest_path(parquet)
    pipeline.detect()
    assert findings() == from_csv  # the same numbers and the very same evidence packs

    Finding.objects.all().delete()
    settings.DATA_DIR = tmp_path / "third"
    pushed = pipeline.ingest_frame(frame(*rows), source="stream", name="push", actor=None)
    assert (pushed.accepted, pushed.rejected) == (4, {"plate": 1})
    pipeline.detect()
    assert findings() == from_csv


def test_a_trip_across_two_stations_is_one_finding_listing_both_records(world, tmp_path):
    pipeline.ingest_path(write_csv(tmp_path / "records.csv", trip_rows()))
    result = pipeline.detect()
    assert (result.examined, result.violations, result.findings_created) == (4, 3, 2)
    trip = Finding.objects.get(plate="浙F12345")
    assert (trip.record_id, trip.record_ids, trip.station.code) == ("A2", ["A1", "A2"], "ZJ-002")
    assert trip.org_unit.code == TONGXIANG  # the unit of the station that weighed the worst pass
    assert (trip.gross_kg, trip.limit_kg, trip.tolerance_kg, trip.overload_kg) == (65000, 49000, 3250, 12750)
    assert str(trip.overload_rate) == "0.2602"
    assert [b["article"] for b in trip.basis] == [
        "第三条第一款第八项",
        "最大允许误差（按准确度等级）",
        "第四十三条第一款第二项",
    ]


def test_ingesting_the_same_records_twice_changes_nothing(world, tmp_path):
    path = write_csv(tmp_path / "records.csv", trip_rows())
    pipeline.ingest_path(path)
    parts = lake_parts() + lake_parts(lake.REJECTED)
    again = pipeline.ingest_path(path)
    assert (again.records, again.accepted, again.duplicates, again.rejected) == (5, 0, 5, {})
    assert lake_parts() + lake_parts(lake.REJECTED) == parts  # no new file
    assert pipeline.detect().findings_created == 2


def test_parts_written_with_the_earlier_compression_are_still_read(world, tmp_path, monkeypatch):
    first, second, *_ = trip_rows()
    with monkeypatch.context() as m:  # the lake as it was written before LZ4
        m.setattr(lake, "WRITE_OPTIONS", {"compression": "zstd", "compression_level": 1})
        pipeline.ingest_path(write_csv(tmp_path / "one.csv", [first]))
    pipeline.ingest_path(
        write_csv(tmp_path / "two.csv", [first, second])
    )  # first: a duplicate of the old part
    old, new = lake_parts()
    assert ZSTD_FRAME in old.read_bytes() and ZSTD_FRAME not in new.read_bytes()
    assert pipeline.detect().examined == 2
    found = Finding.objects.get()
    assert (found.record_id, found.record_ids) == ("A2", ["A1", "A2"])


ZSTD_FRAME = b"\x28\xb5\x2f\xfd"  # the magic number every zstd frame starts with


def test_a_refused_record_sent_again_after_its_cause_is_put_right_is_accepted(world, tmp_path):
    path = write_csv(tmp_path / "records.csv", [record(station_id="ZJ-003")])
    assert pipeline.ingest_path(path).rejected == {"no_calibration": 1}
    assert (pipeline.ingest_path(path).duplicates, len(lake_parts(lake.REJECTED))) == (1, 1)  # nothing new
    Calibration.objects.filter(station__code="ZJ-003").update(valid_to=date(2026, 5, 31))  # entered late
    again = pipeline.ingest_path(path)
    assert (again.accepted, again.duplicates, again.rejected) == (1, 0, {})
    assert pipeline.detect().findings_created == 1


def test_the_same_record_twice_in_one_push_is_one_record(world):
    rows = trip_rows()
    batch = pipeline.ingest_frame(frame(*rows, rows[0]), source="stream", name="push", actor=None)
    assert (batch.records, batch.accepted, batch.duplicates) == (6, 4, 1)


def test_detect_twice_creates_nothing_new(world, tmp_path):
    pipeline.ingest_path(write_csv(tmp_path / "records.csv", trip_rows()))
    first = pipeline.detect()
    before = findings()
    second = pipeline.detect()
    assert (first.findings_created, second.examined, second.findings_created, second.findings_updated) == (
        2,
        0,
        0,
        0,
    )
    assert findings() == before


def test_a_run_redone_after_stopping_finds_its_findings(world, tmp_path):
    """Detection stopped after writing its findings, before its bookmark: redone, it adds nothing."""
    pipeline.ingest_path(write_csv(tmp_path / "records.csv", trip_rows()))
    pipeline.detect()
    before = findings()
    (pipeline.lake_root() / lake.MANIFEST).unlink()
    again = pipeline.detect()
    assert (again.examined, again.findings_created) == (4, 0)
    assert findings() == before


def test_a_later_file_that_continues_a_trip_updates_its_finding(world, tmp_path):
    first, second, *_ = trip_rows()
    pipeline.ingest_path(write_csv(tmp_path / "one.csv", [first]))
    pipeline.detect()
    found = Finding.objects.get()
    assert (found.record_id, found.overload_kg, found.version) == ("A1", 8000, 1)
    pipeline.ingest_path(write_csv(tmp_path / "two.csv", [second]))
    result = pipeline.detect()
    assert (result.findings_created, result.findings_updated) == (0, 1)
    found.refresh_from_db()
    # Still pending: it now rests on the heavier pass, with a new evidence pack.
    assert (found.record_id, found.record_ids, found.overload_kg, found.fine_yuan) == (
        "A2",
        ["A1", "A2"],
        12750,
        6000,
    )
    assert found.version == 2 and found.station.code == "ZJ-002"
    assert json.loads(packs.read(found))["record"]["record_id"] == "A2"


def test_records_pushed_one_by_one_end_in_the_same_finding_as_one_file(world, settings, tmp_path):
    rows = trip_rows()
    pipeline.ingest_path(write_csv(tmp_path / "records.csv", rows))
    pipeline.detect()
    whole = findings()
    Finding.objects.all().delete()
    settings.DATA_DIR = tmp_path / "pushed"
    for row in reversed(rows):  # the heavier pass first, then the lighter: still one trip
        pipeline.ingest_frame(frame(row), source="stream", name=row["record_id"], actor=None)
        pipeline.detect()
    pieces = findings()
    assert [f | {"version": 1} for f in pieces] == whole


def test_a_reviewed_finding_keeps_its_determination_when_its_trip_grows(world, tmp_path):
    first, second, *_ = trip_rows()
    pipeline.ingest_path(write_csv(tmp_path / "one.csv", [first]))
    pipeline.detect()
    Finding.objects.update(status=Finding.Status.CONFIRMED)
    pipeline.ingest_path(write_csv(tmp_path / "two.csv", [second]))
    pipeline.detect()
    found = Finding.objects.get()
    assert (found.record_id, found.record_ids, found.overload_kg, found.version) == (
        "A1",
        ["A1", "A2"],
        8000,
        1,
    )


def test_passes_further_apart_than_the_window_are_two_findings(world, tmp_path):
    late = record(record_id="A9", station_id="ZJ-002", passed_at=NOON + timedelta(hours=4, seconds=1))
    pipeline.ingest_path(write_csv(tmp_path / "records.csv", [record(record_id="A1"), late]))
    assert pipeline.detect().findings_created == 2


def test_a_station_without_a_valid_certificate_that_day_is_rejected(world, tmp_path):
    batch = pipeline.ingest_path(write_csv(tmp_path / "records.csv", [record(station_id="ZJ-003")]))
    assert (batch.accepted, batch.rejected) == (0, {"no_calibration": 1})
    kept = pl.read_parquet(lake_parts(lake.REJECTED))
    assert kept.select("record_id", "reject_reason").rows() == [("R1", "no_calibration")]
    assert pipeline.detect().findings_created == 0 and not Finding.objects.exists()


# ── The evidence pack ────────────────────────────────────────────────────────────────────────────────


def test_each_finding_has_its_evidence_pack_fixed_by_its_hash(world, tmp_path):
    pipeline.ingest_path(write_csv(tmp_path / "records.csv", trip_rows()))
    pipeline.detect()
    trip = Finding.objects.get(record_id="A2")
    assert trip.evidence is None and trip.pack_archive is not None  # the run's archive holds the pack
    content = packs.read(trip)
    assert hashlib.sha256(content).hexdigest() == trip.pack_sha256 and len(content) == trip.pack_length
    pack = json.loads(content)
    assert pack["record"]["record_id"] == "A2" and pack["record"]["passed_at"] == "2025-06-02T14:00:00+08:00"
    assert pack["record"]["axle_loads_kg"] == LOADS_65T
    assert (pack["station"]["code"], pack["station"]["org_unit"]) == ("ZJ-002", "桐乡市交通运输执法中队")
    assert pack["calibration"] == {
        "certificate_no": "JD-ZJ-002",
        "issued_by": "浙江省计量科学研究院",
        "valid_from": "2025-01-01",
        "valid_to": "2025-12-31",
        "certificate_sha256": None,
    }
    determination = pack["determination"]
    assert (determination["limit_kg"], determination["overload_kg"], determination["fine_yuan"]) == (
        49000,
        12750,
        6000,
    )
    assert (determination["measurement"], determination["measured_on"]) == ("wim", "2025-06-02")
    assert determination["basis"] == trip.basis
    kinds = {i["kind"]: i["sha256"] for i in pack["items"]}
    assert kinds == {
        "photo_front": "ab" * 32,
        "photo_side": "cd" * 32,
        "photo_rear": "ef" * 32,
        "calibration_certificate": None,
    }
    checked, problems = evidence.verify()
    assert checked == 1 and problems == []  # one archive for the run's two findings


def test_a_runs_packs_are_one_archive_line_by_line_in_record_order(world, settings, tmp_path):
    pipeline.ingest_path(write_csv(tmp_path / "records.csv", trip_rows()))
    pipeline.detect()
    a2, c1 = Finding.objects.order_by("record_id")
    assert a2.pack_archive_id == c1.pack_archive_id and EvidenceBlob.objects.count() == 1
    archive = a2.pack_archive
    assert archive is not None and archive.content_type == packs.ARCHIVE_TYPE
    data = Path(archive.path).read_bytes()
    assert hashlib.sha256(data).hexdigest() == archive.sha256 and len(data) == archive.size
    assert data == packs.read(a2) + b"\n" + packs.read(c1) + b"\n"
    assert (a2.pack_offset, c1.pack_offset) == (0, a2.pack_length + 1)
    assert [json.loads(line)["record"]["record_id"] for line in data.splitlines()] == ["A2", "C1"]
    assert not any((Path(settings.EVIDENCE_DIR) / "tmp").iterdir())  # nothing left half-written


def test_an_archive_locates_each_pack_by_bytes_and_refuses_a_pack_of_two_lines():
    made = packs.archive(pl.Series(['{"站":"桐乡"}', "{}"]))
    assert made.data == '{"站":"桐乡"}\n{}\n'.encode() and made.offsets == [0, 17] and made.lengths == [16, 2]
    assert made.shas == [hashlib.sha256(p.encode()).hexdigest() for p in ('{"站":"桐乡"}', "{}")]
    with pytest.raises(ValueError):
        packs.archive(pl.Series(['{"a":\n1}']))


def test_a_changed_archive_is_caught_by_verify_and_when_its_pack_is_read(world, tmp_path):
    pipeline.ingest_path(write_csv(tmp_path / "records.csv", trip_rows()))
    pipeline.detect()
    a2, c1 = Finding.objects.order_by("record_id")
    assert run_command("evidence", "verify")[0] == 0
    path = Path(a2.pack_archive.path)
    data = path.read_bytes()
    os.chmod(path, 0o644)
    path.write_bytes(data.replace(b'"fine_yuan":6000', b'"fine_yuan":9000'))  # within A2's pack only
    code, out, _ = run_command("evidence", "verify")
    assert code == 1 and a2.pack_archive_id in out and "被改动" in out
    with pytest.raises(JiafaError) as e:
        packs.read(a2)
    assert e.value.code == ErrorCode.CONFLICT and "哈希值不符" in e.value.message
    assert json.loads(packs.read(c1))["record"]["record_id"] == "C1"  # its slice is untouched


def test_detection_redone_after_it_stopped_finds_its_archive_in_place(world, tmp_path, monkeypatch):
    pipeline.ingest_path(write_csv(tmp_path / "records.csv", trip_rows()))

    def stop(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("power cut")

    with monkeypatch.context() as m:
        m.setattr(pipeline, "_create", stop)  # after the archive's file, before any row
        with pytest.raises(RuntimeError):
            pipeline.detect()
    assert not Finding.objects.exists() and not EvidenceBlob.objects.exists()
    assert pipeline.detect().findings_created == 2
    blob = EvidenceBlob.objects.get()
    assert run_command("evidence", "verify")[0] == 0 and blob.size == len(Path(blob.path).read_bytes())


# ── Audit ────────────────────────────────────────────────────────────────────────────────────────────


def test_one_audit_entry_per_batch_and_per_detection(world, tmp_path):
    before = AuditEntry.objects.count()
    batch = pipeline.ingest_path(write_csv(tmp_path / "records.csv", trip_rows()))
    pipeline.detect()
    entries = list(AuditEntry.objects.order_by("seq")[before:].values("action", "object_id", "detail"))
    assert [e["action"] for e in entries] == ["overload.ingest", "overload.detect"]
    assert entries[0]["object_id"] == str(batch.pk) and entries[0]["detail"]["rejected"] == {"plate": 1}
    assert entries[1]["detail"]["created"] == 2


# ── Several writers at once ──────────────────────────────────────────────────────────────────────────


@pytest.mark.django_db(transaction=True)
def test_the_same_records_pushed_by_two_threads_at_once_land_once(world):
    rows = [record(record_id=f"R{i}", passed_at=NOON + timedelta(minutes=i)) for i in range(50)]
    batches: list[IngestBatch] = []
    errors: list[BaseException] = []

    def push() -> None:
        try:
            batches.append(pipeline.ingest_frame(frame(*rows), source="stream", name="push", actor=None))
        except BaseException as e:  # reported below
            errors.append(e)

    threads = [threading.Thread(target=push) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted((b.accepted, b.duplicates) for b in batches) == [(0, 50), (50, 0)]
    assert pl.read_parquet(lake_parts())["record_id"].n_unique() == pl.read_parquet(lake_parts()).height == 50


# ── The command line ─────────────────────────────────────────────────────────────────────────────────


def run(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("overload", *args, stdout=out, stderr=err)
        return 0, out.getvalue(), err.getvalue()
    except SystemExit as e:
        return int(e.code or 0), out.getvalue(), err.getvalue()


def test_ingest_and_detect_print_their_counts(world, tmp_path):
    path = write_csv(tmp_path / "records.csv", trip_rows())
    code, out, err = run("ingest", str(path), "--json")
    data = json.loads(out)
    assert (code, err) == (0, "")
    assert (data["records"], data["accepted"], data["duplicates"], data["rejected"]) == (
        5,
        4,
        0,
        {"plate": 1},
    )
    assert data["files"][0]["name"] == "records.csv" and len(data["files"][0]["sha256"]) == 64
    code, out, _ = run("ingest", str(path))
    assert out.strip() == "records.csv：共 5 条，接收 0 条，重复 5 条，无效 0 条"
    code, out, _ = run("detect", "--json")
    assert json.loads(out) | {"files": 1} == {
        "examined": 4,
        "violations": 3,
        "findings_created": 2,
        "findings_updated": 0,
        "files": 1,
    }


def test_the_human_summary_names_the_reasons_in_chinese(world, tmp_path):
    _, out, _ = run("ingest", str(write_csv(tmp_path / "records.csv", trip_rows())))
    assert (
        out.strip()
        == "records.csv：共 5 条，接收 4 条，重复 0 条，无效 1 条（车牌或号牌颜色未识别、识别置信度不足 1）"
    )


def test_an_unreadable_file_exits_2_in_chinese_and_writes_nothing(world, tmp_path):
    broken = tmp_path / "broken.parquet"
    frame(*trip_rows()).write_parquet(broken)
    broken.write_bytes(broken.read_bytes()[:200])  # cut off in transfer
    code, out, err = run("ingest", str(broken))
    assert (code, out) == (2, "")
    assert err.startswith("错误：Parquet 文件 broken.parquet 无法读取")
    assert not IngestBatch.objects.exists() and not pipeline.lake_root().exists()


def test_a_missing_file_exits_2_in_chinese(world, tmp_path):
    code, _, err = run("ingest", str(tmp_path / "nowhere.csv"), "--json")
    assert code == 2 and json.loads(err)["message"].startswith("无法读取文件 nowhere.csv")


def test_findings_record_ids_and_lake_agree(world, tmp_path):
    """Every record a finding lists is a valid record in the lake, judged over the limit."""
    pipeline.ingest_path(write_csv(tmp_path / "records.csv", trip_rows()))
    pipeline.detect()
    valid = set(pl.read_parquet(lake_parts())["record_id"])
    listed = {r for f in Finding.objects.all() for r in f.record_ids}
    assert listed == {"A1", "A2", "C1"} and listed <= valid
    assert records.Reason.PLATE in set(pl.read_parquet(lake_parts(lake.REJECTED))["reject_reason"])
    # The lake's columns are the documented ones (docs/contract.md, "The lake").
    assert dict(pl.read_parquet_schema(lake_parts()[0])) == records.LAKE_COLUMNS
    assert dict(pl.read_parquet_schema(lake_parts(lake.REJECTED)[0])) == records.REJECTED_COLUMNS


def test_the_finding_page_shows_the_trip_from_the_lake(world, tmp_path, web_as, make_user):
    from jiafa.core.roles import Role

    pipeline.ingest_path(write_csv(tmp_path / "records.csv", trip_rows()))
    pipeline.detect()
    trip = Finding.objects.get(plate="浙F12345")
    page = web_as(make_user("tx_officer", TONGXIANG, Role.OFFICER)).get(f"/overload/findings/{trip.pk}/")
    text = page.content.decode()
    assert page.status_code == 200 and "A1" in text and "A2" in text
    front = next(r["photo_front"] for r in trip_rows() if r["record_id"] == "A1")
    assert front in text  # evidence references shown as the hex SHA-256 the station sent


def test_findings_written_in_bulk_read_back_and_are_found_as_the_orm_writes_them(world):
    """Times, decimals and JSON are put in the database's form in Polars, a column at a time: they must read
    back as written, and a lookup by exact time (text on SQLite) must find them, with microseconds or not."""
    station = world["ZJ-001"]
    times = [datetime(2025, 6, 2, 6, 0, tzinfo=UTC), datetime(2025, 6, 2, 6, 0, 0, 1500, tzinfo=UTC)]
    basis = [{"law": "超限运输车辆行驶公路管理规定", "article": "第三条"}]
    frame = pl.DataFrame(
        {
            "record_id": ["T1", "T2"],
            "record_ids": [["T1"], ["T0", 'T"2\\']],
            "station_id": [station.pk] * 2,
            "org_unit_id": [station.org_unit_id] * 2,
            "passed_at": times,
            "plate": ["浙F12345"] * 2,
            "plate_color": ["黄"] * 2,
            "axles": [6, 6],
            "gross_kg": [62000, 98000],
            "limit_kg": [49000, 49000],
            "tolerance_kg": [3100, 4900],
            "overload_kg": [9900, 44100],
            "overload_rate": ["0.0005", "0.9000"],
            "outcome": ["fine", "fine"],
            "fine_yuan": [4500, 22000],
            "hundred_tonne": [False, False],
            "serious": [False, False],
            "basis": [basis, basis],
        }
    )
    pipeline._insert(Finding, frame)
    for record_id, at in zip(["T1", "T2"], times, strict=True):
        assert Finding.objects.get(passed_at=at).record_id == record_id
    assert list(Finding.objects.filter(passed_at__gt=times[0]).values_list("record_id", flat=True)) == ["T2"]
    t2 = Finding.objects.get(record_id="T2")
    assert (t2.record_ids, t2.basis, t2.overload_rate) == (["T0", 'T"2\\'], basis, Decimal("0.9000"))
    assert (t2.status, t2.version, t2.dismiss_reason, t2.evidence_id) == ("pending", 1, "", None)
