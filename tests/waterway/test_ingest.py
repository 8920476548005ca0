"""`jiafa waterway ingest`: AIS and checkpoint files into the lake, idempotently, refusals with exit 2."""

import json
from pathlib import Path

import polars as pl
import pytest

from jiafa.core.models import AuditEntry
from jiafa.waterway import pipeline
from tests.conftest import run_command

pytestmark = pytest.mark.django_db  # every ingest writes its audit entry
AIS = Path(__file__).resolve().parents[3] / "shared/data/ais"
PHOTO = "ab" * 32


def _ingest(*args: str) -> dict:
    code, out, err = run_command("waterway", "ingest", *args, "--json")
    assert code == 0, err
    return json.loads(out)


def test_nmea_and_cadastre_files_land_in_the_lake_once(tmp_path: Path) -> None:
    files = [str(AIS / "aisdb_20211101_tagblocks.nm4"), str(AIS / "aisdb_noaa_20230101.csv")]
    first = _ingest(*files)
    assert (first["positions"], first["static"], first["duplicates"]) == (915 + 1000, 42 + 998, 0)
    assert first["files"][0]["kind"] == "nmea" and first["files"][1]["kind"] == "cadastre"
    again = _ingest(*files)
    assert (again["positions"], again["static"], again["passages"]) == (0, 0, 0)
    logged = AuditEntry.objects.filter(action="waterway.ingest").order_by("pk")
    assert [e.detail["positions"] for e in logged] == [915, 1000, 0, 0]
    assert again["duplicates"] == first["positions"] + first["static"]
    positions = pipeline.scan(pipeline.POSITIONS)
    assert positions is not None
    assert positions.select(pl.len()).collect().item() == 1915
    # Partitioned by the day in China time: 2021-11-01 01:58 UTC is 09:58 in Jiaxing.
    assert (tmp_path / "lake/ais_positions/date=2021-11-01").is_dir()


def test_nmea_without_time_needs_received_at() -> None:
    sample = str(AIS / "pyais_nmea_data_sample.txt")
    without = _ingest(sample)
    assert without["positions"] == 0 and without["rejected"]["no_time"] == without["messages"]
    dated = _ingest(sample, "--received-at", "2024-05-01T12:00:00+08:00")
    # One time for every message: a vessel reporting the same place twice is one position.
    assert dated["positions"] + dated["static"] + dated["duplicates"] == 758 + 2
    assert dated["duplicates"] > 0 and dated["rejected"] == {"incomplete": 20, "no_position": 4}


def test_checkpoint_records_are_checked_and_idempotent_by_record_id(tmp_path: Path) -> None:
    path = tmp_path / "kakou.csv"
    path.write_text(
        "record_id,checkpoint,passed_at,ship_name,confidence,direction,photo\n"
        f"K1,KK01,2025-06-02T12:00:00+08:00,浙嘉兴货1234,0.93,上行,{PHOTO}\n"
        f"K2,KK01,2025-06-02T12:05:00+08:00,浙嘉兴货5678,1.5,上行,{PHOTO}\n"  # confidence over 1
        "K3,KK01,2025-06-02 12:10,浙嘉兴货9,0.9,下行,\n"  # a time without offset
        f"K1,KK01,2025-06-02T12:00:00+08:00,浙嘉兴货1234,0.93,上行,{PHOTO}\n",  # repeated
        encoding="utf-8",
    )
    first = _ingest(str(path))
    assert (first["passages"], first["duplicates"], first["rejected"]) == (1, 1, {"malformed": 2})
    again = _ingest(str(path))
    assert (again["passages"], again["duplicates"]) == (0, 2)


def test_an_unknown_file_is_refused_with_nothing_written(tmp_path: Path) -> None:
    good, bad = tmp_path / "ok.nm4", tmp_path / "notes.txt"
    good.write_bytes((AIS / "aisdb_20211101_tagblocks.nm4").read_bytes())
    bad.write_text("这不是 AIS 数据\n", encoding="utf-8")
    code, _, err = run_command("waterway", "ingest", str(good), str(bad), "--json")
    assert code == 2
    refusal = json.loads(err)
    assert refusal["code"] == "invalid_input"
    assert "notes.txt" in refusal["message"] and "ok.nm4" in refusal["message"]  # names what was loaded


@pytest.mark.parametrize("moment", ["yesterday", "2024-05-01T12:00:00"])
def test_received_at_must_be_a_time_with_offset(moment: str) -> None:
    code, _, err = run_command(
        "waterway", "ingest", str(AIS / "pyais_nmea_data_sample.txt"), "--received-at", moment, "--json"
    )
    assert code == 2 and json.loads(err)["code"] == "invalid_input"
