"""The demo world's waters: the AIS encoder against pyais, the registers drawn for a seed, and a day of
voyages as the shore sees it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import networkx as nx
import numpy as np
import polars as pl
import pytest
import shapely
from pyais.stream import IterMessages

from jiafa.simulate import ais, voyages, waters
from jiafa.waterway import nmea, records
from jiafa.waterway.geometry import parse_line, parse_polygon

SMALL = 0.02
RESOLUTION = 1 / 600_000  # AIS positions: a ten-thousandth of a minute


def _positions(n: int, seed: int = 1) -> pl.DataFrame:
    rng = np.random.default_rng(seed)
    start = int(datetime(2023, 6, 1, tzinfo=UTC).timestamp())
    seconds = np.sort(start + rng.integers(0, 86_400, n))
    return pl.DataFrame(
        {
            "time": pl.Series(seconds * 1_000_000).cast(pl.Datetime("us", "UTC")),
            "mmsi": rng.integers(412_000_000, 414_999_999, n),
            "status": rng.choice([0, 1, 5], n),
            "sog_kn": rng.uniform(0, 9.5, n).round(1),
            "cog": rng.uniform(0, 359.9, n).round(1),
            "heading": rng.integers(0, 360, n),
            "lat": rng.uniform(30.4, 31.05, n),
            "lon": rng.uniform(120.3, 121.3, n) * rng.choice([1, -1], n),  # west too: negative fields
        }
    )


def _static(positions: pl.DataFrame, names: list[str]) -> pl.DataFrame:
    n = len(names)
    return pl.DataFrame(
        {
            "time": positions["time"][:n],
            "mmsi": positions["mmsi"][:n],
            "name": names,
            "ship_type": [70] * n,
            "length_m": [45.0] * n,
            "beam_m": [8.0] * n,
            "draught_m": [2.8] * n,
            "destination": ["JIAXING"] * n,
        }
    )


def test_the_encoder_writes_what_pyais_reads_back() -> None:
    positions = _positions(300)
    static = _static(positions, ["ZHEJIAXINGHUO1234", "SUSUQIANHUO0888", "WANMAANSHANHUO0007"])
    data = ais.file_bytes(ais.positions(positions), ais.static(static))
    decoded = {1: [], 5: []}
    times = []
    for message in IterMessages(data.splitlines()):  # pyais checks every checksum and joins the two parts
        assert message.tag_block is not None
        message.tag_block.init()
        times.append(int(message.tag_block.receiver_timestamp))
        fields = message.decode()
        decoded[fields.msg_type].append(fields)
    assert times == sorted(times)  # one file in time order, the kinds merged
    assert len(decoded[1]) == 300 and len(decoded[5]) == 3
    by_time = positions.sort("time", maintain_order=True)
    for row, got in zip(by_time.iter_rows(named=True), decoded[1], strict=True):
        assert (got.mmsi, got.status.value, got.speed, got.course) == (
            row["mmsi"],
            row["status"],
            row["sog_kn"],
            row["cog"],
        )
        assert got.lat == pytest.approx(row["lat"], abs=RESOLUTION)
        assert got.lon == pytest.approx(row["lon"], abs=RESOLUTION)
        assert got.heading == row["heading"] and got.second == row["time"].second
    assert [(m.mmsi, m.shipname, m.ship_type.value, m.draught) for m in decoded[5]] == [
        (r["mmsi"], r["name"], 70, 2.8) for r in static.iter_rows(named=True)
    ]


def test_the_platforms_decoder_reads_the_encoders_file_whole() -> None:
    positions = _positions(2_000, seed=2)
    static = _static(positions, [f"ZHEHUZHOUHUO{k:04d}" for k in range(40)])
    decoded = nmea.decode_bytes(ais.file_bytes(ais.positions(positions), ais.static(static)))
    assert decoded.rejected == {} and decoded.messages == 2_040
    got = decoded.positions.sort("time", "mmsi")
    want = positions.sort("time", "mmsi")
    assert got["mmsi"].to_list() == want["mmsi"].to_list()
    assert np.abs(got["lat"].to_numpy() - want["lat"].to_numpy()).max() <= RESOLUTION
    assert decoded.static.sort("mmsi")["name"].to_list() == static.sort("mmsi")["name"].to_list()


def test_the_same_seed_gives_the_same_waters_and_another_seed_other_vessels() -> None:
    a, b, other = (waters.build(seed, SMALL, 2023) for seed in (3, 3, 4))
    assert a.vessels == b.vessels and a.zones == b.zones and a.permits == b.permits
    assert [v.mmsi for v in a.vessels] != [v.mmsi for v in other.vessels]
    assert [w.name for w in a.waterways.values()] == [w.name for w in other.waterways.values()]


def test_the_waters_are_jiaxings() -> None:
    w = waters.build(5, SMALL, 2023)
    names = {x.name for x in w.waterways.values()}
    assert {"京杭运河", "杭申线", "长湖申线", "乍嘉苏线", "湖嘉申线", "平湖塘", "嘉于硖线"} <= names
    assert nx.is_connected(w.graph)  # joined where they meet or cross: one network
    assert len(w.borders) >= 8  # where vessels come in from Jiangsu, Shanghai, Huzhou, Hangzhou and the bay
    for x in w.waterways.values():
        parse_line(x.wkt)
    for lat, lon in w.graph.nodes:
        assert 30.4 <= lat <= 31.05 and 120.3 <= lon <= 121.3
    lines = {code: shapely.from_wkt(x.wkt) for code, x in w.waterways.items()}
    kinds = {z.kind for z in w.zones}
    assert kinds == {"dock", "berth", "unlicensed", "loading", "dumping", "no_berthing"}
    for z in w.zones:
        outline = parse_polygon(z.wkt)
        # beside its waterway: within 60 m of the centre line (a degree is about 100 km here)
        assert outline.distance(lines[z.waterway]) < 0.0006, z
        if z.kind == "no_berthing":  # across the channel at a bridge or a lock
            assert outline.intersects(lines[z.waterway])
    for c in w.checkpoints:
        assert c.node in w.graph
    for v in w.vessels:
        assert 412_000_000 <= v.mmsi < 415_000_000
        assert re.fullmatch(r"[A-Z]+\d{4}", v.ais_name) and v.name[-4:] == v.ais_name[-4:]  # pinyin
    assert {v.kind for v in w.vessels} >= {"cargo", "muck"}
    muck = {v.mmsi for v in w.vessels if v.kind == "muck"}
    permitted = {p.mmsi for p in w.permits}
    assert permitted <= muck and len(permitted) > len(muck) / 2  # most have a permit
    kinds_of = {z.code: z.kind for z in w.zones}
    assert all(kinds_of[p.loading] == "loading" and kinds_of[p.dumping] == "dumping" for p in w.permits)


def test_a_day_on_the_water_as_the_shore_sees_it() -> None:
    w = waters.build(7, 0.1, 2023)  # a busy day: a few dozen trips
    state = voyages.state(w)
    day = date(2023, 6, 6)
    shore = voyages.day(w, state, day, True, 7)
    assert shore.trips > 0 and shore.positions.height > 50 * shore.trips
    local = shore.positions["time"].dt.convert_time_zone("Asia/Shanghai")
    assert local.dt.date().unique().to_list() == [day]  # vessels sail between 05:00 and 23:30
    under_way = shore.positions.filter(pl.col("status") == 0, pl.col("sog_kn") > 3)["sog_kn"]
    assert under_way.quantile(0.05) >= 4.5 and under_way.quantile(0.95) <= 9.5  # 5–9 knots
    # every camera record is in the checkpoint CSV format the ingest reads
    frame = pl.read_csv(shore.passages.write_csv().encode(), infer_schema=False)
    parsed = records.parse(shore.passages.write_csv().encode(), "day.csv")
    assert parsed.kind == records.Kind.CHECKPOINT and parsed.passages.height == frame.height > 0
    assert parsed.rejected == {}
    # a vessel the camera read rightly, with its AIS on, reported a position near the checkpoint then
    nodes = {c.code: c.node for c in w.checkpoints}
    by_name = {v.name: v.mmsi for v in w.vessels}
    dark = [e for es in state.episodes.values() for e in es if e.kind == "dark"]  # AIS off, or another's on
    checked = 0
    for row in parsed.passages.iter_rows(named=True):
        mmsi = by_name.get(row["ship_name"])
        off = any(e.mmsi == mmsi and e.start <= row["time"] <= e.end for e in dark)
        if mmsi is None or off or row["confidence"] < 0.8:
            continue
        lat, lon = nodes[row["checkpoint"]]
        near = shore.positions.filter(
            pl.col("mmsi") == mmsi,
            (pl.col("time") - row["time"]).abs() <= timedelta(minutes=5),
            ((pl.col("lat") - lat).abs() < 0.005) & ((pl.col("lon") - lon).abs() < 0.006),
        )
        assert near.height > 0, row
        checked += 1
    assert checked > 20


def test_the_same_seed_lives_the_same_week_on_the_water() -> None:
    """The files of a week — NMEA and camera CSV — byte for byte, and what really happened."""

    def week(seed: int) -> tuple[list[bytes], list[voyages.Episode]]:
        w = waters.build(seed, SMALL, 2023)
        state = voyages.state(w)
        files = []
        for d in (date(2023, 3, 6) + timedelta(days=k) for k in range(7)):
            shore = voyages.day(w, state, d, d.weekday() < 5, seed)
            files.append(ais.file_bytes(ais.positions(shore.positions), ais.static(shore.static)))
            files.append(shore.passages.write_csv().encode())
        return files, [e for es in state.episodes.values() for e in es]

    (a, episodes_a), (b, episodes_b), (c, _) = week(9), week(9), week(10)
    assert a == b and episodes_a == episodes_b
    assert a[0] != c[0]
