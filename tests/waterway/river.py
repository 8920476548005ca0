"""A hand-made stretch of river for the page tests: a waterway, zones, a checkpoint, vessels with
certificates, findings with their track segments, and a vessel's day in the lake. The clock stands at NOW."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import polars as pl
import shapely

from jiafa.core.models import OrgUnit
from jiafa.waterway import pipeline
from jiafa.waterway.models import Checkpoint, Finding, MuckPermit, Vessel, VesselCertificate, Waterway, Zone
from tests.conftest import HAINING, TONGXIANG
from tests.waterway.tracks import BOX, LAT, LON, at, lake_positions, stay, track

NOW = datetime(2025, 6, 2, 6, 0, tzinfo=UTC)  # 14:00 in Jiaxing, the day of tracks.T0
TODAY = date(2025, 6, 2)
DUMPING_BOX = shapely.box(LON + 0.01, LAT - 0.0005, LON + 0.0112, LAT + 0.0005)


@dataclass
class River:
    vessel: Vessel  # 浙海宁货0007: a cargo vessel of Haining, certificates valid
    muck: Vessel  # 浙嘉渣0101: a muck vessel
    stranger: Vessel  # registered in Tongxiang, found on Haining's waters
    zone: Zone
    dumping: Zone
    checkpoint: Checkpoint
    berthing: Finding  # pending: stopped 47 minutes in the no-berthing zone, with its track
    dumped: Finding  # pending: the muck vessel unloaded outside its dumping zone
    dark: Finding  # pending: seen by the checkpoint with its AIS silent
    elsewhere: Finding  # in Tongxiang: not Haining's


def finding(
    rule: str, vessel: Vessel, unit: OrgUnit, minutes: float, length: float = 0, **fields: Any
) -> Finding:
    start = at(minutes)
    return Finding.objects.create(
        key=f"{rule}|{vessel.mmsi}|{start.isoformat()}",
        rule=rule,
        mmsi=vessel.mmsi,
        vessel=vessel,
        org_unit=unit,
        start=start,
        end=start + timedelta(minutes=length),
        basis=[
            {"law": "水网睿控检测参数", "article": "非法停泊、无证码头作业"},
            {"law": "违法行为库", "article": "SL-01"},
        ],
        **fields,
    )


def segment(frame: pl.DataFrame) -> list[list[Any]]:
    """A finding's `track` as detection stores it: [UTC ISO time, lat, lon, knots]."""
    return [
        [t.isoformat(), lat, lon, v] for t, lat, lon, v in frame.select("time", "lat", "lon", "sog_kn").rows()
    ]


def certificates(vessel: Vessel, valid_to: date) -> None:
    for kind in (VesselCertificate.Kind.NATIONALITY, VesselCertificate.Kind.INSPECTION):
        VesselCertificate.objects.create(
            vessel=vessel,
            kind=kind,
            number=f"{kind}-{vessel.mmsi}",
            valid_from=date(2024, 1, 1),
            valid_to=valid_to,
        )


def build(org: dict[str, OrgUnit]) -> River:
    hn, tx = org[HAINING], org[TONGXIANG]
    Waterway.objects.create(
        code="HS",
        name="杭申线",
        grade="三级",
        geometry=f"LINESTRING ({LON - 0.02} {LAT}, {LON + 0.03} {LAT})",
    )
    zone = Zone.objects.create(
        code="JT-01", name="长山河禁停区", kind="no_berthing", geometry=BOX.wkt, org_unit=hn
    )
    dumping = Zone.objects.create(
        code="XN-01", name="袁花消纳点", kind="dumping", geometry=DUMPING_BOX.wkt, org_unit=hn
    )
    loading = Zone.objects.create(
        code="ZZ-01",
        name="盐官装载点",
        kind="loading",
        geometry=shapely.box(LON - 0.012, LAT - 0.0005, LON - 0.0108, LAT + 0.0005).wkt,
        org_unit=hn,
    )
    Zone.objects.create(
        code="TX-01",
        name="乌镇禁停区",
        kind="no_berthing",
        geometry=shapely.box(120.49, 30.74, 120.50, 30.75).wkt,
        org_unit=tx,
    )
    checkpoint = Checkpoint.objects.create(
        code="KK-01", name="长安卡口", waterway="杭申线", org_unit=hn, lat=LAT, lon=LON + 0.005
    )
    vessel = Vessel.objects.create(
        mmsi=413_000_007,
        name="浙海宁货0007",
        owner_name="海宁某航运有限公司",
        owner_id_no="91330481MA2B000007",
        owner_phone="0573-87000007",
        org_unit=hn,
    )
    muck = Vessel.objects.create(
        mmsi=413_000_101, name="浙嘉渣0101", kind="muck", owner_name="嘉兴某渣土运输有限公司", org_unit=hn
    )
    stranger = Vessel.objects.create(
        mmsi=413_000_202, name="浙桐乡货0202", owner_name="桐乡某航运", org_unit=tx
    )
    for v in (vessel, muck, stranger):
        certificates(v, date(2026, 12, 31))
    MuckPermit.objects.create(
        number="ZT-2025-001",
        vessel=muck,
        loading_zone=loading,
        dumping_zone=dumping,
        valid_from=date(2025, 1, 1),
        valid_to=date(2025, 12, 31),
        issued_by="嘉兴市综合行政执法局",
    )
    stayed = stay(vessel.mmsi, 47)
    berthing = finding(
        "illegal_berthing",
        vessel,
        hn,
        0,
        47,
        zone=zone,
        lat=LAT,
        lon=LON,
        value=47.0,
        threshold=30.0,
        track=segment(stayed),
    )
    dumped = finding(
        "muck_outside_dumping_zone",
        muck,
        hn,
        120,
        25,
        lat=LAT + 0.002,
        lon=LON + 0.004,
        value=25.0,
        threshold=10.0,
        track=segment(stay(muck.mmsi, 25, lat=LAT + 0.002, lon=LON + 0.004, start=120)),
    )
    dark = finding(
        "ais_dark",
        stranger,
        hn,
        200,
        95,
        checkpoint=checkpoint,
        value=95.0,
        threshold=30.0,
        record_id="KK01-20250602-0042",
        seen_name="浙桐乡货0202",
        photo="ab" * 32,
    )
    elsewhere = finding(
        "illegal_berthing", stranger, tx, 300, 40, lat=30.745, lon=120.495, value=40.0, threshold=30.0
    )
    # The vessel's day in the lake: the stay, and an hour under way afterwards; the next day, another trip.
    under_way = track(vessel.mmsi, [(60 + i, LAT + 0.0005 * i, LON + 0.0004 * i, 6.0) for i in range(60)])
    next_day = track(vessel.mmsi, [(24 * 60 + i, LAT, LON - 0.0003 * i, 5.0) for i in range(30)])
    pipeline.add(
        pipeline.lake_root(), {pipeline.POSITIONS: lake_positions(pl.concat([stayed, under_way, next_day]))}
    )
    return River(vessel, muck, stranger, zone, dumping, checkpoint, berthing, dumped, dark, elsewhere)
