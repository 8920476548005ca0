"""POST /api/v1/overload/records: stations push weighing records with a station account's token."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest

from jiafa.core.roles import PERMISSIONS, Perm, Role
from jiafa.overload.models import Calibration, IngestBatch, WimStation
from jiafa.overload.schemas import MAX_RECORDS
from jiafa.simulate import wim
from tests.conftest import HAINING, TONGXIANG, ApiClient

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 9, 10, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.fixture
def stations(org):
    made = {}
    for code, unit in (("HN-G60-01", HAINING), ("TX-S12-01", TONGXIANG)):
        made[code] = WimStation.objects.create(
            code=code, name=code, org_unit=org[unit], road="G60", direction="上行", lat=30.5, lon=120.6
        )
        Calibration.objects.create(
            station=made[code],
            certificate_no=f"JD-{code}",
            issued_by="浙江省计量科学研究院",
            valid_from=dt.date(2025, 1, 1),
            valid_to=dt.date(2027, 12, 31),
        )
    return made


@pytest.fixture
def station_client(make_user, api_as, stations):
    return api_as(make_user("hn_station", HAINING, Role.STATION))


def record(i: int, station: str = "HN-G60-01", **over: object) -> dict[str, object]:
    """A well-formed, valid record: a 6-axle combination at 62 t, its axle loads adding up to the gross."""
    return wim.pushed_record(i, station, START) | over


def test_without_a_token_or_with_a_forged_one_the_answer_is_401(stations):
    body = {"records": [record(1)]}
    for client in (ApiClient(), ApiClient("jf_forged-token-that-was-never-issued")):
        response = client.post("/overload/records", body)
        assert response.status_code == 401
        assert response.json()["code"] == "unauthorized"


def test_a_person_may_not_push_records(make_user, api_as, stations):
    response = api_as(make_user("hn1")).post("/overload/records", {"records": [record(1)]})
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "此接口仅供站点接入账号使用"}


def test_a_station_account_may_push_and_nothing_else(station_client):
    assert PERMISSIONS[Perm.WIM_PUSH] == {Role.STATION}
    assert [p for p, roles in PERMISSIONS.items() if Role.STATION in roles] == [Perm.WIM_PUSH]
    for path in ("/overload/findings", "/evidence"):
        assert station_client.get(path).status_code == 403, path
    filing = station_client.post("/overload/cases/file", {"case_ids": [1], "served_on": "2026-09-10"})
    assert filing.status_code == 403


@pytest.mark.parametrize(
    ("body", "message_part"),
    [
        ("not json", "不是有效的 JSON"),
        ([record(1)], "records 须为数组"),
        ({"records": {"a": 1}}, "records 须为数组"),
        ({"records": []}, "至少一条"),
        ({"records": [1]}, "第 1 条记录应为 JSON 对象"),
        (
            {"records": [record(1), record(2, axles=6.5)]},
            "第 2 条记录（HN-G60-01-00000002）的字段 axles 应为整数",
        ),
        ({"records": [record(1, gross_kg="62000")]}, "gross_kg 应为整数"),
        ({"records": [record(1, combination="yes")]}, "combination 应为true/false"),
        ({"records": [record(1, axle_loads_kg=[7000, "x"])]}, "axle_loads_kg 应为整数数组"),
        ({"records": [record(1, record_id=7)]}, "第 1 条记录的字段 record_id 应为字符串，收到 7"),
    ],
)
def test_a_bad_envelope_is_refused_whole_with_422_and_a_code(station_client, body, message_part):
    response = station_client.post("/overload/records", body if isinstance(body, str) else json.dumps(body))
    assert response.status_code == 422, response.content
    assert response.json()["code"] == "invalid_input"
    assert message_part in response.json()["message"]
    assert not IngestBatch.objects.exists()


def test_too_many_records_are_refused(station_client):
    body = {"records": [{"record_id": str(i)} for i in range(MAX_RECORDS + 1)]}
    response = station_client.post("/overload/records", body)
    assert response.status_code == 422
    assert f"每批最多 {MAX_RECORDS} 条记录，收到 {MAX_RECORDS + 1} 条" in response.json()["message"]


def test_a_station_account_pushes_for_its_own_jurisdiction_only(station_client):
    body = {"records": [record(1), record(2, station="TX-S12-01"), record(3, station="XX-404")]}
    response = station_client.post("/overload/records", body)
    assert response.status_code == 403
    assert response.json()["message"] == "本账号无权推送以下站点的记录：TX-S12-01、XX-404"


def _lake_ids() -> set[str]:
    from django.conf import settings

    files = sorted(Path(settings.DATA_DIR, "lake", "wim").glob("**/*.parquet"))
    return set(pl.scan_parquet(files).select("record_id").collect()["record_id"]) if files else set()


def test_a_valid_batch_lands_in_the_lake_and_the_same_batch_again_only_counts_duplicates(
    station_client, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    body = {"records": [record(i) for i in range(20)]}
    first = station_client.post("/overload/records", body)
    assert first.status_code == 200, first.content
    data = first.json()
    assert (data["records"], data["accepted"], data["duplicates"], data["rejected"]) == (20, 20, 0, {})
    assert _lake_ids() == {r["record_id"] for r in body["records"]}
    batch = IngestBatch.objects.get(pk=data["batch"])
    assert (batch.source, batch.received_by.username, batch.accepted) == ("stream", "hn_station", 20)

    again = station_client.post("/overload/records", body).json()
    assert (again["records"], again["accepted"], again["duplicates"]) == (20, 0, 20)
    assert len(_lake_ids()) == 20
    assert again["batch"] != data["batch"]


def test_well_typed_records_that_are_not_evidence_are_kept_with_their_reason(
    station_client, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    unreadable = [
        record(2, passed_at="2026-09-10T08:00:00"),  # no offset
        record(3, passed_at="yesterday"),
        record(4, record_id=""),
        record(5, axles=70000),  # beyond the column's range
    ]
    body = {
        "records": [
            record(1),
            record(6, plate_confidence=0.3),
            record(7, photo_side="front.jpg"),
            *unreadable,
        ]
    }
    data = station_client.post("/overload/records", body).json()
    assert (data["records"], data["accepted"], data["duplicates"]) == (7, 1, 0)
    assert data["rejected"] == {"plate": 1, "evidence": 1, "malformed": 4}
    rejected = pl.read_parquet(tmp_path / "lake" / "wim_rejected" / "**" / "*.parquet")
    raw = json.loads(rejected.filter(pl.col("record_id") == "HN-G60-01-00000005")["raw"].item())
    assert raw["axles"] == 70000  # kept as the station sent it


@pytest.mark.parametrize("path", ["/cases", "/me", "/evidence", "/org-units", "/overload/findings"])
def test_a_station_account_can_do_nothing_but_push(station_client, path):
    response = station_client.get(path)
    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "站点接入账号只能推送称重记录"}
