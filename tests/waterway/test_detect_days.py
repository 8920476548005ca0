"""Detection day by day: each run examines the days ingested since the last one (and the context the rules
need), and ends with the findings one run over everything gives — for tracks that cross midnight."""

import json
import shutil
from datetime import date
from typing import Any

import polars as pl
import pytest
from shapely.affinity import translate

from jiafa.waterway import actions, nmea, pipeline, records
from jiafa.waterway.models import Checkpoint, Examined, Finding, MuckPermit, Vessel, Zone
from tests.conftest import HAINING, run_command
from tests.waterway.tracks import BOX, LAT, LON, at, static, stay, track

pytestmark = pytest.mark.django_db
MIDNIGHT = 16 * 60  # minutes after T0 (08:00 China time, 2 June) to midnight between 2 and 3 June
DAY = 24 * 60
KK01 = (LAT - 0.02, LON)  # the checkpoint, 2 km south of the no-berthing zone
LOADING = translate(BOX, xoff=0.03)  # the muck zones, 3 and 6 km east
DUMPING = translate(BOX, xoff=0.06)


def _positions(frame: pl.DataFrame) -> pl.DataFrame:
    return frame.select(
        [pl.col(c) if c in frame.columns else pl.lit(None).alias(c) for c in nmea.POSITION_SCHEMA.names()]
    ).cast(nmea.POSITION_SCHEMA)


def _moving(mmsi: int, minutes: range, lat: float, lon: float) -> pl.DataFrame:
    return track(mmsi, [(m, lat, lon, 2.0) for m in minutes])


def _world(org: dict[str, Any]) -> dict[str, pl.DataFrame]:
    """Four days (2–5 June) of vessels doing what the rules look for, across midnight."""
    unit = org[HAINING]
    Zone.objects.create(
        code="JT-01", name="长山河禁停区", kind="no_berthing", geometry=BOX.wkt, org_unit=unit
    )
    loading = Zone.objects.create(
        code="ZT-L", name="装载点", kind="loading", geometry=LOADING.wkt, org_unit=unit
    )
    dumping = Zone.objects.create(
        code="ZT-D", name="消纳点", kind="dumping", geometry=DUMPING.wkt, org_unit=unit
    )
    Checkpoint.objects.create(
        code="KK01", name="长山河卡口", waterway="长山河", org_unit=unit, lat=KK01[0], lon=KK01[1]
    )
    for mmsi, kind in [(413_000_003, "cargo"), (413_000_005, "muck")]:
        Vessel.objects.create(
            mmsi=mmsi, name=f"浙海宁货{mmsi % 10000:04d}", kind=kind, owner_name="某航运公司", org_unit=unit
        )
    MuckPermit.objects.create(
        number="ZT-2025-1",
        vessel=Vessel.objects.get(mmsi=413_000_005),
        loading_zone=loading,
        dumping_zone=dumping,
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 12, 31),
    )
    end = MIDNIGHT + 3 * DAY  # midnight after 5 June
    positions = [
        # Berthed 50 minutes across midnight: not yet 30 minutes at the end of 2 June.
        stay(413_000_001, 50, start=MIDNIGHT - 20),
        # Berthed from 23:00 to 01:00: found on 2 June, longer on 3 June.
        stay(413_000_002, 120, start=MIDNIGHT - 60),
        # Moored in the zone from 08:00 on 2 June to the end of 5 June: the stop began days before.
        track(413_000_007, [(-5, LAT - 0.003, LON, 2.0)] + [(m, LAT, LON, 0.0) for m in range(0, end, 10)]),
        # AIS silent from 23:40 to 00:30 while the checkpoint saw it at 23:45.
        pl.concat(
            [
                _moving(413_000_003, range(MIDNIGHT - 120, MIDNIGHT - 19, 10), LAT + 0.02, LON),
                _moving(413_000_003, range(MIDNIGHT + 30, MIDNIGHT + 120, 10), LAT + 0.02, LON),
            ]
        ),
        # One MMSI 5.5 km apart within a minute, at midnight.
        track(
            413_000_004,
            [
                (MIDNIGHT - 10, LAT + 0.05, LON, 5.0),
                (MIDNIGHT - 0.5, LAT + 0.05, LON, 5.0),
                (MIDNIGHT + 0.5, LAT + 0.10, LON, 5.0),
                (MIDNIGHT + 10, LAT + 0.10, LON, 5.0),
            ],
        ),
        # Muck: loads 20:00–20:30, stops 20 minutes outside the zones after midnight, never dumps.
        pl.concat(
            [
                _moving(413_000_005, range(600, 711, 10), LAT, LON + 0.03),
                stay(413_000_005, 30, lat=LAT, lon=LON + 0.03, start=720),
                _moving(413_000_005, range(760, MIDNIGHT + 1, 10), LAT + 0.03, LON + 0.03),
                stay(413_000_005, 20, lat=LAT + 0.04, lon=LON + 0.03, start=MIDNIGHT + 10),
                _moving(413_000_005, range(MIDNIGHT + 40, end, 30), LAT + 0.05, LON + 0.03),
            ]
        ),
        # Passing the checkpoint at 23:57 under one name, read as another at 00:02.
        _moving(413_000_006, range(MIDNIGHT - 3, MIDNIGHT + 1, 1), KK01[0] + 0.001, KK01[1]),
    ]
    passages = pl.DataFrame(
        {
            "record_id": ["R-0003", "R-0006"],
            "checkpoint": ["KK01", "KK01"],
            "time": [at(MIDNIGHT - 15), at(MIDNIGHT + 2)],
            "ship_name": ["浙海宁货0003", "浙海宁货9999"],
            "confidence": [0.95, 0.9],
            "direction": ["上行", "上行"],
            "photo": ["ab" * 32, None],
        }
    ).with_columns(pl.col("time").dt.cast_time_unit("us"))
    return {
        pipeline.POSITIONS: _positions(pl.concat(positions, how="diagonal")),
        pipeline.STATIC: static(413_000_006, "ZHE HAI NING 0006", MIDNIGHT - 120),
        pipeline.PASSAGES: passages.cast(records.PASSAGE_SCHEMA),
    }


def _day(frame: pl.DataFrame, day: date) -> pl.DataFrame:
    return frame.filter(pl.col("time").dt.convert_time_zone("Asia/Shanghai").dt.date() == day)


def _since(frame: pl.DataFrame, day: date) -> pl.DataFrame:
    return frame.filter(pl.col("time").dt.convert_time_zone("Asia/Shanghai").dt.date() >= day)


def _findings() -> list[tuple[Any, ...]]:
    fields = ("key", "rule", "end", "value", "lat", "lon", "threshold", "track", "record_id", "ais_name")
    return list(Finding.objects.order_by("key").values_list(*fields))


DAYS = [date(2025, 6, 2), date(2025, 6, 3), date(2025, 6, 4), date(2025, 6, 5)]


def test_detecting_after_each_day_finds_what_one_run_over_everything_finds(org: dict[str, Any]) -> None:
    world = _world(org)
    pipeline.add(pipeline.lake_root(), world)
    whole = actions.detect()
    assert whole.since is None and whole.days == [d.isoformat() for d in DAYS]
    everything = _findings()
    assert sorted({row[1] for row in everything}) == [
        "ais_dark",
        "illegal_berthing",
        "muck_never_dumped",
        "muck_outside_dumping_zone",
        "name_mismatch",
        "shared_mmsi",
    ]
    moored = Finding.objects.get(mmsi=413_000_007)
    assert moored.start == at(0) and moored.value == pytest.approx(3 * DAY + MIDNIGHT - 10)

    Finding.objects.all().delete()
    Examined.objects.all().delete()
    shutil.rmtree(pipeline.lake_root())
    runs = []
    for day in DAYS:
        pipeline.add(pipeline.lake_root(), {area: _day(frame, day) for area, frame in world.items()})
        runs.append(actions.detect())
        if day == DAYS[0]:
            # By the end of 2 June: the 23:00 berthing (59 minutes so far) and the moored vessel; the
            # 23:40 berthing, the silence since 23:40 and the muck voyage are not yet what the rules need.
            assert sorted(Finding.objects.values_list("mmsi", flat=True)) == [413_000_002, 413_000_007]
    assert [r.days for r in runs] == [[d.isoformat()] for d in DAYS]
    assert runs[1].since == "2025-06-03T00:00:00+08:00"
    assert runs[1].updated == 2  # the 23:00 berthing went on to 01:00; the moored vessel stayed
    assert _findings() == everything
    # The last run read 3 to 5 June, and 2 June only for the moored vessel.
    moored_2_june = _day(world[pipeline.POSITIONS], DAYS[0]).filter(pl.col("mmsi") == 413_000_007).height
    assert runs[3].positions == _since(world[pipeline.POSITIONS], DAYS[1]).height + moored_2_june
    assert actions.detect().days == []  # nothing new
    again = actions.detect(everything=True)
    assert (again.created, again.updated) == (0, 0)
    assert _findings() == everything


def test_the_command_says_which_days_it_examined(org: dict[str, Any]) -> None:
    world = _world(org)
    pipeline.add(pipeline.lake_root(), {area: _day(frame, DAYS[0]) for area, frame in world.items()})
    code, out, err = run_command("waterway", "detect", "--json")
    assert code == 0, err
    assert json.loads(out)["days"] == ["2025-06-02"] and json.loads(out)["since"] is None  # the first run
    code, out, _ = run_command("waterway", "detect")
    assert "上次检测以来没有新导入的数据" in out
    pipeline.add(pipeline.lake_root(), {area: _day(frame, DAYS[1]) for area, frame in world.items()})
    code, out, _ = run_command("waterway", "detect", "--json")
    assert (json.loads(out)["days"], json.loads(out)["since"]) == (
        ["2025-06-03"],
        "2025-06-03T00:00:00+08:00",
    )
    code, out, _ = run_command("waterway", "detect", "--all", "--json")
    assert json.loads(out)["days"] == ["2025-06-02", "2025-06-03"] and json.loads(out)["created"] == 0
