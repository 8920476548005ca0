"""Detection rules on hand-built tracks, each at its threshold: just inside and just outside."""

from datetime import date, timedelta

import numpy as np
import polars as pl
import pytest
import shapely
from shapely.affinity import translate

from jiafa.waterway import rules
from jiafa.waterway.rules import Permit, Rule
from tests.waterway.tracks import BOX, LAT, LON, METRE_LAT, at, static, stay, track, zone

STOP = {"start_kn": 0.2, "end_kn": 0.5}
BERTHING = {**STOP, "margin_m": 20, "min_minutes": 30}


def test_a_stop_starts_at_02_kn_and_ends_only_at_05_kn() -> None:
    speeds = [1.0, 0.2, 0.3, 0.49, 0.1, 0.5, 0.21, 0.3, 0.1, 0.2]
    found = rules.stops(track(1, [(i, LAT, LON, v) for i, v in enumerate(speeds)]), **STOP)
    # 0.2 starts (just inside); 0.3 and 0.49 keep it; 0.5 ends it; 0.21 (just outside) starts nothing.
    assert found.select("start", "end").rows() == [(at(1), at(4)), (at(8), at(9))]


@pytest.mark.parametrize(("minutes", "found"), [(30, 1), (29.9, 0)])
def test_berthing_in_a_no_berthing_zone_from_30_minutes(minutes: float, found: int) -> None:
    result = rules.illegal_berthing(stay(7, minutes), [zone("no_berthing")], **BERTHING)
    assert result.height == found
    if found:
        assert result.row(0, named=True)["rule"] == Rule.ILLEGAL_BERTHING
        assert result.row(0, named=True)["value"] == pytest.approx(30)


@pytest.mark.parametrize(
    ("the_zone", "found"),
    [
        (zone("dock"), [Rule.UNLICENSED_DOCK]),
        (zone("dock", licensed=True), []),
        (zone("berth", allowed=frozenset({7})), []),  # the dock's own vessel
        (zone("berth", allowed=frozenset({8})), [Rule.UNLICENSED_DOCK]),
        (zone("dumping"), []),  # not a berthing rule's zone
    ],
)
def test_operation_at_an_unlicensed_dock(the_zone: rules.Zone, found: list[Rule]) -> None:
    result = rules.illegal_berthing(stay(7, 45), [the_zone], **BERTHING)
    assert result["rule"].to_list() == found


def test_the_zone_margin_keeps_a_drifting_vessel_inside() -> None:
    # Stopped 40 minutes; at minute 20 the fix drifts 15 m outside the box (inside the 20 m margin): one stay.
    points = [(m, LAT, LON, 0.0) for m in range(41)]
    points[20] = (20, LAT + 0.00045 + 15 * METRE_LAT, LON, 0.0)
    one = rules.illegal_berthing(track(7, points), [zone("no_berthing")], **BERTHING)
    assert one.height == 1 and one.row(0, named=True)["value"] == 40
    # 25 m outside the box is outside the margin too: the stay is split into two of 19 and 20 minutes.
    points[20] = (20, LAT + 0.00045 + 25 * METRE_LAT, LON, 0.0)
    assert rules.illegal_berthing(track(7, points), [zone("no_berthing")], **BERTHING).is_empty()


def _sighting(minutes: float, waterway: str = "杭申线") -> pl.DataFrame:
    return pl.DataFrame(
        {
            "mmsi": [7],
            "time": [at(minutes)],
            "checkpoint": ["KK01"],
            "waterway": [waterway],
            "record_id": ["R1"],
            "ship_name": ["浙嘉兴货7"],
        }
    ).with_columns(pl.col("time").dt.cast_time_unit("us"))


@pytest.mark.parametrize(("gap", "found"), [(30.5, 1), (30, 0)])
def test_ais_dark_when_a_checkpoint_sees_the_vessel_in_a_gap_over_30_minutes(gap: float, found: int) -> None:
    positions = track(7, [(0, LAT, LON, 5.0), (gap, LAT + 0.05, LON, 5.0)])
    result = rules.ais_dark(positions, _sighting(10), gap_minutes={"default": 30})
    assert result.height == found
    if found:
        assert result.row(0, named=True)["value"] == pytest.approx(30.5)
        assert result.row(0, named=True)["record_id"] == "R1"


def test_ais_dark_threshold_is_per_waterway_and_no_ais_at_all_counts() -> None:
    positions = track(7, [(0, LAT, LON, 5.0), (20, LAT + 0.05, LON, 5.0)])
    limits = {"default": 30, "长湖申线": 15}
    assert rules.ais_dark(positions, _sighting(10), gap_minutes=limits).is_empty()
    assert rules.ais_dark(positions, _sighting(10, "长湖申线"), gap_minutes=limits).height == 1
    silent = rules.ais_dark(positions.filter(pl.col("mmsi") == 0), _sighting(10), gap_minutes=limits)
    assert silent.height == 1 and silent.row(0, named=True)["value"] is None


def _metres_a_minute(knots: float) -> float:
    return knots * 1852 / 60


@pytest.mark.parametrize(("knots", "found"), [(30.5, 1), (29.5, 0)])
def test_one_mmsi_in_two_places_above_30_knots(knots: float, found: int) -> None:
    step = _metres_a_minute(knots) * METRE_LAT
    positions = track(7, [(0, LAT, LON, 10.0), (1, LAT + step, LON, 10.0)])
    result = rules.shared_mmsi(positions, max_speed_kn=30)
    assert result.height == found
    if found:
        assert result.row(0, named=True)["value"] == pytest.approx(knots, rel=1e-3)


CHECKPOINTS = pl.DataFrame({"checkpoint": ["KK01"], "lat": [LAT], "lon": [LON]})
IDENTITY = {"window_minutes": 5, "radius_m": 500, "confidence_min": 0.8}


def _read(name: str, minutes: float = 0, confidence: float = 0.9) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "record_id": ["R1"],
            "checkpoint": ["KK01"],
            "time": [at(minutes)],
            "ship_name": [name],
            "confidence": [confidence],
        }
    ).with_columns(pl.col("time").dt.cast_time_unit("us"))


@pytest.mark.parametrize(
    ("read", "found"),
    [
        (_read("ZHE JIA XING 456"), 1),
        (_read("zhe-jia-xing 123"), 0),  # the same name written differently
        (_read("ZHE JIA XING 456", minutes=5), 1),  # 5 minutes from the AIS report: still matched
        (_read("ZHE JIA XING 456", minutes=5.02), 0),  # just over: no vessel to compare with
        (_read("ZHE JIA XING 456", confidence=0.8), 1),
        (_read("ZHE JIA XING 456", confidence=0.79), 0),
    ],
)
def test_checkpoint_name_against_the_ais_name(read: pl.DataFrame, found: int) -> None:
    positions = track(7, [(0, LAT + 400 * METRE_LAT, LON, 6.0)])  # 400 m from the checkpoint
    result = rules.name_mismatch(positions, static(7, "ZHEJIAXING 123"), read, CHECKPOINTS, **IDENTITY)
    assert result.height == found
    if found:
        assert result.select("ais_name", "seen_name").row(0) == ("ZHEJIAXING 123", read["ship_name"].item())


def test_the_camera_read_is_compared_with_the_registered_name_where_the_register_holds_the_mmsi() -> None:
    """Cameras read the Chinese name on the hull; AIS sends it in pinyin: the register joins the two."""
    positions = track(7, [(0, LAT + 400 * METRE_LAT, LON, 6.0)])
    ais_name = static(7, "ZHEJIAXINGHUO1234")
    register = pl.DataFrame({"mmsi": [7], "name": ["浙嘉兴货1234"]})
    same = rules.name_mismatch(
        positions, ais_name, _read("浙嘉兴货1234"), CHECKPOINTS, **IDENTITY, registered=register
    )
    assert same.is_empty()
    other = rules.name_mismatch(
        positions, ais_name, _read("苏宿迁货0888"), CHECKPOINTS, **IDENTITY, registered=register
    )
    assert other.select("mmsi", "ais_name", "seen_name").row(0) == (7, "ZHEJIAXINGHUO1234", "苏宿迁货0888")
    unregistered = pl.DataFrame({"mmsi": [8], "name": ["浙嘉兴货1234"]})  # another MMSI: the AIS name counts
    assert (
        rules.name_mismatch(
            positions, ais_name, _read("浙嘉兴货1234"), CHECKPOINTS, **IDENTITY, registered=unregistered
        ).height
        == 1
    )


def test_a_read_is_compared_with_every_vessel_passing_then_not_only_the_nearest_in_time() -> None:
    """Two vessels pass the checkpoint a minute apart: the camera's read of the second is no mismatch, though
    the first vessel's report is nearer in time to it; a name neither carries is, on the nearer one."""
    positions = pl.concat(
        [track(7, [(0, LAT + 100 * METRE_LAT, LON, 6.0)]), track(8, [(1, LAT - 100 * METRE_LAT, LON, 6.0)])]
    )
    names = pl.concat([static(7, "ZHEJIAXING 7"), static(8, "ZHEJIAXING 8")])
    assert rules.name_mismatch(positions, names, _read("ZHE JIA XING 8"), CHECKPOINTS, **IDENTITY).is_empty()
    other = rules.name_mismatch(positions, names, _read("ZHE JIA XING 9"), CHECKPOINTS, **IDENTITY)
    assert other.select("mmsi", "seen_name").rows() == [(7, "ZHE JIA XING 9")]


def test_a_vessel_beyond_the_radius_is_not_compared() -> None:
    positions = track(7, [(0, LAT + 510 * METRE_LAT, LON, 6.0)])
    assert rules.name_mismatch(positions, static(7, "X"), _read("Y"), CHECKPOINTS, **IDENTITY).is_empty()


# Muck: loading zone 1 at (LAT, LON), dumping zone 2 one kilometre north, elsewhere two kilometres north.
NORTH_1KM, NORTH_2KM = LAT + 1000 * METRE_LAT, LAT + 2000 * METRE_LAT
MUCK_ZONES = {
    1: zone("loading", id=1),
    2: rules.Zone(id=2, kind="dumping", licensed=True, polygon=translate(BOX, yoff=1000 * METRE_LAT)),
}
PERMIT = Permit(
    mmsi=7, loading_zone=1, dumping_zone=2, valid_from=date(2025, 1, 1), valid_to=date(2025, 12, 31)
)
MUCK = {"start_kn": 0.2, "end_kn": 0.5, "margin_m": 20, "unload_minutes": 10, "voyage_hours": 24}


def _trip(*stays: tuple[float, float, float]) -> pl.DataFrame:
    """Stops of (start minute, minutes, latitude)."""
    return pl.concat([stay(7, minutes, lat=lat, start=start) for start, minutes, lat in stays])


def test_a_permitted_trip_from_loading_to_dumping_is_clean() -> None:
    positions = _trip((0, 20, LAT), (60, 15, NORTH_1KM))
    assert rules.muck(positions, [7], [PERMIT], MUCK_ZONES, **MUCK).is_empty()


@pytest.mark.parametrize(("minutes", "found"), [(10, [Rule.MUCK_OUTSIDE_DUMPING_ZONE]), (9.9, [])])
def test_unloading_outside_the_dumping_zone_from_10_minutes(minutes: float, found: list[Rule]) -> None:
    positions = _trip((0, 20, LAT), (60, minutes, NORTH_2KM), (120, 15, NORTH_1KM))
    assert rules.muck(positions, [7], [PERMIT], MUCK_ZONES, **MUCK)["rule"].to_list() == found


def test_a_loaded_vessel_that_never_reaches_its_dumping_zone() -> None:
    positions = _trip((0, 20, LAT), (60, 15, NORTH_2KM))
    found = rules.muck(positions, [7], [PERMIT], MUCK_ZONES, **MUCK)["rule"].to_list()
    assert sorted(found) == sorted([Rule.MUCK_OUTSIDE_DUMPING_ZONE, Rule.MUCK_NEVER_DUMPED])


@pytest.mark.parametrize(("valid_to", "found"), [(date(2025, 6, 2), 0), (date(2025, 6, 1), 2)])
def test_a_muck_vessel_without_a_valid_permit(valid_to: date, found: int) -> None:
    positions = _trip((0, 20, LAT), (60, 15, NORTH_1KM))
    permit = Permit(7, 1, 2, date(2025, 1, 1), valid_to)
    result = rules.muck(positions, [7], [permit], MUCK_ZONES, **MUCK)
    assert result.height == found and set(result["rule"]) <= {Rule.MUCK_NO_PERMIT}


def test_vessels_not_registered_as_muck_are_not_judged() -> None:
    positions = _trip((0, 20, LAT), (60, 15, NORTH_2KM))
    assert rules.muck(positions, [8], [], MUCK_ZONES, **MUCK).is_empty()


def test_zone_lookup_agrees_with_testing_every_point_against_every_polygon() -> None:
    rng = np.random.default_rng(3)
    lon = LON + rng.uniform(-0.02, 0.02, 5000)
    lat = LAT + rng.uniform(-0.02, 0.02, 5000)
    zones = [
        rules.Zone(id=10 + i, kind="dock", licensed=False, polygon=translate(BOX.buffer(size), dx, dy))
        for i, (size, dx, dy) in enumerate([(0.0, 0.0, 0.0), (0.002, 0.01, 0.0), (0.0005, -0.012, 0.011)])
    ]
    inner, outer = rules._zone_of(zones, lon, lat, 0.0)
    expected = np.full(len(lon), -1)
    for z in zones:
        expected[shapely.contains_xy(z.polygon, lon, lat)] = z.id
    assert (inner == expected).all() and (outer == expected).all()
    assert len(set(expected.tolist())) == 4  # every zone, and outside, is hit


@pytest.mark.parametrize(("silent", "stops"), [(24 * 60, 1), (24 * 60 + 1, 2)])
def test_a_silence_over_a_day_splits_a_stop(silent: float, stops: int) -> None:
    quiet = track(7, [(0, LAT, LON, 0.0), (30, LAT, LON, 0.0), (30 + silent, LAT, LON, 0.0)])
    assert rules.stops(quiet, **STOP).height == stops


@pytest.mark.parametrize(("horizon", "found"), [(25, 0), (30.5, 1)])
def test_ais_dark_waits_until_the_silence_is_over_the_gap(horizon: float, found: int) -> None:
    # The last report at 0, seen at 10, nothing after (yet): dark once the reports known reach past 30.
    positions = track(7, [(0, LAT, LON, 5.0)])
    result = rules.ais_dark(positions, _sighting(10), gap_minutes={"default": 30}, horizon=at(horizon))
    assert result.height == found


def test_ais_dark_looks_a_day_around_the_sighting() -> None:
    # A report a day and a minute before and 5 minutes after: silent longer than the gap all the same.
    positions = track(7, [(-24 * 60 - 1, LAT, LON, 5.0), (15, LAT, LON, 5.0)])
    result = rules.ais_dark(positions, _sighting(10), gap_minutes={"default": 30})
    assert result.height == 1 and result.row(0, named=True)["start"] == at(10)


@pytest.mark.parametrize(("apart", "found"), [(24 * 60, 1), (24 * 60 + 1, 0)])
def test_one_mmsi_reports_more_than_a_day_apart_are_not_paired(apart: float, found: int) -> None:
    far = 30 * _metres_a_minute(24 * 60) * METRE_LAT  # 30 × a day's distance at 1 kn: over 30 kn
    positions = track(7, [(0, LAT, LON, 10.0), (apart, LAT + far, LON, 10.0)])
    assert rules.shared_mmsi(positions, max_speed_kn=30).height == found


def test_the_ais_name_is_the_one_given_within_a_day() -> None:
    positions = track(7, [(0, LAT + 400 * METRE_LAT, LON, 6.0)])
    read = _read("ZHE JIA XING 456")
    old = static(7, "ZHEJIAXING 123", -24 * 60 - 1)
    assert rules.name_mismatch(positions, old, read, CHECKPOINTS, **IDENTITY).is_empty()
    recent = static(7, "ZHEJIAXING 123", -24 * 60)
    assert rules.name_mismatch(positions, recent, read, CHECKPOINTS, **IDENTITY).height == 1


@pytest.mark.parametrize(
    ("dumped_at", "found"), [(20 + 24 * 60, []), (21 + 24 * 60, [Rule.MUCK_NEVER_DUMPED])]
)
def test_the_dumping_zone_must_be_reached_within_the_voyage(dumped_at: float, found: list[Rule]) -> None:
    # Loaded 0–20; a stop at the dumping zone starting 24 hours after loading is within the voyage.
    positions = _trip((0, 20, LAT), (dumped_at, 15, NORTH_1KM))
    assert rules.muck(positions, [7], [PERMIT], MUCK_ZONES, **MUCK)["rule"].to_list() == found


@pytest.mark.parametrize(("horizon", "found"), [(20 + 24 * 60 - 1, 0), (20 + 24 * 60, 1)])
def test_a_voyage_is_judged_when_it_is_over(horizon: float, found: int) -> None:
    positions = _trip((0, 20, LAT))
    result = rules.muck(positions, [7], [PERMIT], MUCK_ZONES, **MUCK, horizon=at(horizon))
    assert result.height == found


def test_a_stop_outside_after_the_voyage_is_not_an_unloading() -> None:
    positions = _trip((0, 20, LAT), (21 + 24 * 60, 15, NORTH_2KM))
    assert rules.muck(positions, [7], [PERMIT], MUCK_ZONES, **MUCK)["rule"].to_list() == [
        Rule.MUCK_NEVER_DUMPED
    ]


SEGMENT = {"margin": timedelta(minutes=30), "max_points": 500, **STOP}


def test_a_finding_carries_its_track_from_half_an_hour_before_to_half_an_hour_after() -> None:
    # Reports a minute apart from 0 to 200; the finding runs 60–100.
    positions = track(7, [(m, LAT, LON, 0.0 if 60 <= m <= 100 else 3.0) for m in range(201)])
    finding = pl.DataFrame({"mmsi": [7], "start": [at(60)], "end": [at(100)]}).with_columns(
        pl.col("start", "end").dt.cast_time_unit("us")
    )
    (segment,) = rules.segments(positions, finding, **SEGMENT)
    assert [p[0] for p in (segment[0], segment[-1])] == ["2025-06-02T00:30:00Z", "2025-06-02T02:10:00Z"]
    assert len(segment) == 101 and segment[30] == ["2025-06-02T01:00:00Z", LAT, LON, 0.0]


def test_a_long_track_is_thinned_keeping_every_stops_first_and_last_report() -> None:
    # Two days a minute apart; a 7-minute stop in the middle of the second day, at odd minutes.
    minutes = range(2 * 24 * 60)
    positions = track(7, [(m, LAT, LON, 0.0 if 2161 <= m <= 2167 else 3.0) for m in minutes])
    finding = pl.DataFrame({"mmsi": [7], "start": [at(30)], "end": [at(2 * 24 * 60 - 31)]}).with_columns(
        pl.col("start", "end").dt.cast_time_unit("us")
    )
    (segment,) = rules.segments(positions, finding, **SEGMENT)
    assert len(segment) <= 505
    times = [p[0] for p in segment]
    assert "2025-06-03T12:01:00Z" in times and "2025-06-03T12:07:00Z" in times  # minutes 2161 and 2167
    assert times[0] == "2025-06-02T00:00:00Z" and times[-1] == "2025-06-03T23:59:00Z"
