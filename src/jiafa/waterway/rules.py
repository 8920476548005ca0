"""Detection rules over AIS tracks and checkpoint records (law.md §5). Pure code: frames in, frames out; no
database, no clock, every threshold an argument (the callers read them from `law/data/rules/waterway.json`).

Positions are `nmea.POSITION_SCHEMA` frames (at least `mmsi`, `time`, `lat`, `lon`, `sog_kn`). Every rule is
vectorised: Polars over the rows, shapely 2 over the points for polygons. Each finding frame has `rule`,
`mmsi`, `start`, `end` and the numbers it rests on (`value` against `threshold`), so that it can be explained.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import Any

import numpy as np
import polars as pl
import shapely
from shapely.geometry.base import BaseGeometry

from jiafa.waterway.geometry import EARTH_RADIUS_M, metres_per_degree

KNOT_M_S = 1852 / 3600
# How far from a moment AIS is looked for: the reports before and after a checkpoint sighting, the previous
# report of an MMSI, the static name a vessel last gave. A day: class A vessels report their position every
# few seconds to three minutes and their name every six minutes, so a day without either says all there is
# to say (silent that long); and detection reads a bounded stretch of the lake around new days.
LOOKAROUND = timedelta(days=1)


class Rule(StrEnum):
    UNLICENSED_DOCK = "unlicensed_dock"
    ILLEGAL_BERTHING = "illegal_berthing"
    AIS_DARK = "ais_dark"
    NAME_MISMATCH = "name_mismatch"
    SHARED_MMSI = "shared_mmsi"
    MUCK_NO_PERMIT = "muck_no_permit"
    MUCK_OUTSIDE_DUMPING_ZONE = "muck_outside_dumping_zone"
    MUCK_NEVER_DUMPED = "muck_never_dumped"

    @property
    def label(self) -> str:
        return LABELS[self]


LABELS = {
    Rule.UNLICENSED_DOCK: "在未取得许可的码头作业",
    Rule.ILLEGAL_BERTHING: "在禁止停泊区停泊",
    Rule.AIS_DARK: "关闭 AIS（卡口拍到而 AIS 无信号）",
    Rule.NAME_MISMATCH: "卡口船名与 AIS 船名不符",
    Rule.SHARED_MMSI: "一码多船（推算航速异常）",
    Rule.MUCK_NO_PERMIT: "渣土船无有效运输许可",
    Rule.MUCK_OUTSIDE_DUMPING_ZONE: "渣土船在指定消纳点以外卸载",
    Rule.MUCK_NEVER_DUMPED: "渣土船装载后未到达指定消纳点",
}


# The rule data (law/data/rules/waterway.json, under `waterway.`) each rule judges by: a finding cites their
# basis, its evidence pack their values.
_STOP = ("stop.start_kn", "stop.end_kn", "zone.margin_m")
SETTINGS = {
    Rule.ILLEGAL_BERTHING: (*_STOP, "berthing.min_minutes"),
    Rule.UNLICENSED_DOCK: (*_STOP, "berthing.min_minutes"),
    Rule.AIS_DARK: ("dark.gap_minutes",),
    Rule.NAME_MISMATCH: (
        "identity.window_minutes",
        "identity.checkpoint_radius_m",
        "identity.ocr_confidence_min",
    ),
    Rule.SHARED_MMSI: ("identity.max_speed_kn",),
    Rule.MUCK_NO_PERMIT: (*_STOP, "muck.unload_min_minutes"),
    Rule.MUCK_OUTSIDE_DUMPING_ZONE: (*_STOP, "muck.unload_min_minutes", "muck.voyage_hours"),
    Rule.MUCK_NEVER_DUMPED: (*_STOP, "muck.unload_min_minutes", "muck.voyage_hours"),
}
# What `value` and `threshold` of a finding measure, by rule.
UNITS = {
    Rule.ILLEGAL_BERTHING: "分钟（停泊时长）",
    Rule.UNLICENSED_DOCK: "分钟（停泊时长）",
    Rule.AIS_DARK: "分钟（AIS 信号间隔）",
    Rule.NAME_MISMATCH: "船名识别置信度",
    Rule.SHARED_MMSI: "节（推算航速）",
    Rule.MUCK_NO_PERMIT: "分钟（停泊时长）",
    Rule.MUCK_OUTSIDE_DUMPING_ZONE: "分钟（停泊时长）",
    Rule.MUCK_NEVER_DUMPED: "次（到达消纳点）",
}


@dataclass(frozen=True)
class Zone:
    """A watched polygon: `kind` as in models.Zone.Kind; `allowed` the MMSIs it serves though unlicensed."""

    id: int
    kind: str
    licensed: bool
    polygon: BaseGeometry
    allowed: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Permit:
    mmsi: int
    loading_zone: int
    dumping_zone: int
    valid_from: date
    valid_to: date


# ---------------------------------------------------------------------------------------------------------
# Tracks


def _by_vessel(positions: pl.DataFrame) -> pl.DataFrame:
    return positions.sort("mmsi", "time")


def _begins(*columns: str) -> pl.Expr:
    """Whether a row begins a new stretch: its value of one of `columns` differs from the previous row's (the
    first row begins one). The rules use it instead of windows over vessels (`.over("mmsi")`), which cost
    as much again on millions of reports; rows are sorted by vessel and time."""
    begins = pl.lit(False)
    for column in columns:
        begins = begins | pl.col(column).ne_missing(pl.col(column).shift(1))
    return begins


def _hysteresis(enter: pl.Expr, leave: pl.Expr, begins: pl.Expr, value: pl.Expr | None = None) -> pl.Expr:
    """A state per row of a track: on (or `value`, a non-negative id) from a row where `enter` holds until a
    row where `leave` holds; rows in between keep the state they had. Off is False (or null for an id). Each
    stretch of rows (a row where `begins` holds begins one: a vessel, see `_begins`) starts off. Call on rows
    sorted by vessel and time."""
    if value is None:
        signal = pl.when(enter).then(True).when(leave | begins).then(False)
        return signal.forward_fill().fill_null(False)
    state = pl.when(enter).then(value).when(leave | begins).then(-1).forward_fill()
    return pl.when(state >= 0).then(state)


def _runs(frame: pl.DataFrame, state: str, keys: tuple[str, ...] = ()) -> pl.DataFrame:
    """The stretches of consecutive rows of one vessel where `state` holds (and the `keys` stay the same):
    `mmsi`, `start`, `end`, `minutes`, the mean position, the number of reports, and the keys. A silence
    of the vessel (`_stretch`, see `with_stopped`) ends a stretch too."""
    keys = tuple(k for k in (*keys, "_stretch") if k in frame.columns)
    return (
        frame.with_columns(_run=_begins("mmsi", state, *keys).cum_sum())
        .filter(pl.col(state))
        .group_by(["mmsi", "_run", *keys], maintain_order=True)
        .agg(
            start=pl.col("time").first(),
            end=pl.col("time").last(),
            lat=pl.col("lat").mean(),
            lon=pl.col("lon").mean(),
            reports=pl.len(),
        )
        .with_columns(minutes=(pl.col("end") - pl.col("start")).dt.total_seconds() / 60)
        .drop("_run", "_stretch", strict=False)
    )


def with_stopped(
    positions: pl.DataFrame, *, start_kn: float, end_kn: float, within: timedelta = LOOKAROUND
) -> pl.DataFrame:
    """Each report with `stopped`: speed ≤ `start_kn` starts a stop, ≥ `end_kn` ends it (GFW hysteresis).
    A report more than `within` after the vessel's previous one starts afresh (`_stretch` numbers the
    vessels' stretches between such silences): what it did meanwhile is not known."""
    silence = (pl.col("time") - pl.col("time").shift(1)) > within
    return (
        _by_vessel(positions)
        .with_columns(_stretch=(_begins("mmsi") | silence).cum_sum())
        .with_columns(
            stopped=_hysteresis(pl.col("sog_kn") <= start_kn, pl.col("sog_kn") >= end_kn, _begins("_stretch"))
        )
    )


def stops(positions: pl.DataFrame, *, start_kn: float, end_kn: float) -> pl.DataFrame:
    """Stops per vessel: first and last stopped report, how long, where."""
    return _runs(with_stopped(positions, start_kn=start_kn, end_kn=end_kn), "stopped")


def _planar(lon: np.ndarray, lat: np.ndarray, origin_lat: float) -> tuple[np.ndarray, np.ndarray]:
    per_lon, per_lat = metres_per_degree(origin_lat)
    return lon * per_lon, lat * per_lat


def _zone_of(
    zones: list[Zone], lon: np.ndarray, lat: np.ndarray, margin_m: float
) -> tuple[np.ndarray, np.ndarray]:
    """For each point, the id of the zone it lies in, and of the zone it lies in grown by `margin_m` metres
    (-1: none). Measured on a plane tangent at the zones' mean latitude: centimetres over a city's waters.
    One spatial index query for all zones."""
    inner_id = np.full(len(lon), -1, dtype=np.int64)
    outer_id = np.full(len(lon), -1, dtype=np.int64)
    if not zones or not len(lon):
        return inner_id, outer_id
    origin = float(np.mean([z.polygon.centroid.y for z in zones]))
    planar = [
        shapely.transform(z.polygon, lambda xy: np.column_stack(_planar(xy[:, 0], xy[:, 1], origin)))
        for z in zones
    ]
    ids = np.array([z.id for z in zones], dtype=np.int64)
    x, y = _planar(lon, lat, origin)
    planar_shapes = np.array(planar)
    grown = shapely.buffer(planar_shapes, margin_m) if margin_m > 0 else planar_shapes
    point, zone = _candidates(grown, x, y)
    outer = shapely.contains_xy(grown[zone], x[point], y[point])
    point, zone = point[outer], zone[outer]
    outer_id[point] = ids[zone]
    inner = shapely.contains_xy(planar_shapes[zone], x[point], y[point])
    inner_id[point[inner]] = ids[zone[inner]]
    return inner_id, outer_id


def _candidates(shapes: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(point, shape) index pairs whose grid cells meet: a point is tested only against the shapes whose
    bounding box touches its cell. Cells are as large as the largest shape, so a shape spans few of them."""
    bounds = shapely.bounds(shapes)
    cell = max(float(np.max(bounds[:, 2:] - bounds[:, :2])), 1.0)
    lo, hi = np.floor(bounds[:, :2] / cell).astype(np.int64), np.floor(bounds[:, 2:] / cell).astype(np.int64)
    columns: list[list[np.ndarray]] = [[], [], []]
    for shape, (x0, y0), (x1, y1) in zip(range(len(shapes)), lo, hi, strict=True):
        gx, gy = np.meshgrid(np.arange(x0, x1 + 1), np.arange(y0, y1 + 1))
        for column, values in zip(columns, (gx.ravel(), gy.ravel(), np.full(gx.size, shape)), strict=True):
            column.append(values)
    cells = pl.DataFrame({k: np.concatenate(c) for k, c in zip(("gx", "gy", "shape"), columns, strict=True)})
    points = pl.DataFrame(
        {"gx": np.floor(x / cell).astype(np.int64), "gy": np.floor(y / cell).astype(np.int64)}
    ).with_row_index("point")
    pairs = points.join(cells, on=["gx", "gy"])
    return pairs["point"].to_numpy().astype(np.int64), pairs["shape"].to_numpy().astype(np.int64)


def with_zones(
    positions: pl.DataFrame, zones: list[Zone], *, margin_m: float, begins: pl.Expr | None = None
) -> pl.DataFrame:
    """Each report (sorted by vessel and time) with `zone`: the zone the vessel is in. Entering takes a report
    inside the polygon; leaving, one outside the polygon grown by `margin_m`. Each vessel, or each stretch
    of rows `begins` begins, starts outside every zone."""
    frame = _by_vessel(positions)
    inner, outer = _zone_of(zones, frame["lon"].to_numpy(), frame["lat"].to_numpy(), margin_m)
    frame = frame.with_columns(_inner=pl.Series(inner), _outer=pl.Series(outer))
    entering = pl.col("_inner") >= 0
    return frame.with_columns(
        zone=_hysteresis(
            entering,
            pl.col("_outer") < 0,
            _begins("mmsi") if begins is None else begins,
            pl.when(entering).then(pl.col("_inner")),
        )
    ).drop("_inner", "_outer")


def dwells(
    positions: pl.DataFrame,
    zones: list[Zone],
    *,
    start_kn: float,
    end_kn: float,
    margin_m: float,
    since: datetime | None = None,
) -> pl.DataFrame:
    """Stretches stopped inside a zone, with `zone` and `minutes`. Only stopped reports, and the one before
    each stop (where the vessel entered), are placed in zones, each stop on its own: a dwell can't span a
    report under way. With `since`, only dwells that end at or after it (earlier ones may be cut short by
    the start of the reports given)."""
    tracked = with_stopped(positions, start_kn=start_kn, end_kn=end_kn)
    next_stopped = pl.when(pl.col("_stretch") == pl.col("_stretch").shift(-1)).then(
        pl.col("stopped").shift(-1)
    )
    tracked = tracked.filter(pl.col("stopped") | next_stopped.fill_null(False))
    tracked = with_zones(tracked, zones, margin_m=margin_m, begins=_begins("_stretch") | ~pl.col("stopped"))
    tracked = tracked.with_columns(dwelling=pl.col("stopped") & pl.col("zone").is_not_null())
    found = _runs(tracked, "dwelling", keys=("zone",))
    return found if since is None else found.filter(pl.col("end") >= since)


def illegal_berthing(
    positions: pl.DataFrame,
    zones: Iterable[Zone],
    *,
    start_kn: float,
    end_kn: float,
    margin_m: float,
    min_minutes: float,
    since: datetime | None = None,
) -> pl.DataFrame:
    """Stopped at least `min_minutes` in a no-berthing zone, or at a dock or berth that is not licensed and
    does not admit that vessel (operation at an unlicensed dock). `since` as for `dwells`."""
    rule_of = {}
    for zone in zones:
        if zone.kind == "no_berthing":
            rule_of[zone.id] = (zone, Rule.ILLEGAL_BERTHING)
        elif zone.kind in ("dock", "berth") and not zone.licensed:
            rule_of[zone.id] = (zone, Rule.UNLICENSED_DOCK)
    watched = [zone for zone, _ in rule_of.values()]
    stays = dwells(positions, watched, start_kn=start_kn, end_kn=end_kn, margin_m=margin_m, since=since)
    stays = stays.filter(pl.col("minutes") >= min_minutes)
    allowed = [(zone.id, mmsi) for zone, _ in rule_of.values() for mmsi in zone.allowed]
    if allowed:
        admitted = pl.DataFrame(allowed, schema={"zone": pl.Int64, "mmsi": pl.Int64}, orient="row")
        stays = stays.join(admitted, on=["zone", "mmsi"], how="anti")
    rules_by_zone = {zone_id: str(rule) for zone_id, (_, rule) in rule_of.items()}
    return _findings(
        [
            stays.with_columns(
                rule=pl.col("zone").replace_strict(rules_by_zone, return_dtype=pl.String),
                value=pl.col("minutes"),
                threshold=pl.lit(float(min_minutes)),
            )
        ]
    )


def _moment(moment: datetime) -> pl.Expr:
    """A time as the lake holds times (microseconds, UTC)."""
    return pl.lit(moment.astimezone(UTC)).dt.cast_time_unit("us")


def _findings(frames: list[pl.DataFrame]) -> pl.DataFrame:
    frames = [f for f in frames if f.height]
    if not frames:
        return pl.DataFrame(schema=FINDING_SCHEMA)
    return pl.concat(
        [
            f.select([pl.col(c) if c in f.columns else pl.lit(None).alias(c) for c in FINDING_SCHEMA.names()])
            for f in frames
        ],
        how="vertical_relaxed",
    ).cast(FINDING_SCHEMA)


FINDING_SCHEMA = pl.Schema(
    {
        "rule": pl.String(),
        "mmsi": pl.Int64(),
        "start": pl.Datetime("us", "UTC"),
        "end": pl.Datetime("us", "UTC"),
        "lat": pl.Float64(),
        "lon": pl.Float64(),
        "zone": pl.Int64(),
        "checkpoint": pl.String(),
        "value": pl.Float64(),  # minutes, knots… the number the rule judged
        "threshold": pl.Float64(),
        "ais_name": pl.String(),
        "seen_name": pl.String(),
        "record_id": pl.String(),  # the checkpoint record (its photo is the evidence)
    }
)


# ---------------------------------------------------------------------------------------------------------
# AIS switched off, identity


def _metres(lat1: pl.Expr, lon1: pl.Expr, lat2: pl.Expr, lon2: pl.Expr) -> pl.Expr:
    """Great-circle distance (haversine)."""
    p1, p2 = lat1.radians(), lat2.radians()
    dlat, dlon = p2 - p1, (lon2 - lon1).radians()
    a = (dlat / 2).sin() ** 2 + p1.cos() * p2.cos() * (dlon / 2).sin() ** 2
    return 2 * EARTH_RADIUS_M * a.sqrt().arcsin()


def shared_mmsi(
    positions: pl.DataFrame, *, max_speed_kn: float, within: timedelta = LOOKAROUND
) -> pl.DataFrame:
    """Consecutive reports of one MMSI, at most `within` apart, farther apart than `max_speed_kn` allows:
    two transmitters share it. Reports of the same second count as one second apart."""
    same = pl.col("mmsi") == pl.col("mmsi").shift(1)
    frame = _by_vessel(positions).with_columns(
        prev_time=pl.when(same).then(pl.col("time").shift(1)),
        prev_lat=pl.when(same).then(pl.col("lat").shift(1)),
        prev_lon=pl.when(same).then(pl.col("lon").shift(1)),
    )
    seconds = (pl.col("time") - pl.col("prev_time")).dt.total_seconds(fractional=True).clip(lower_bound=1.0)
    knots = _metres(pl.col("prev_lat"), pl.col("prev_lon"), pl.col("lat"), pl.col("lon")) / seconds / KNOT_M_S
    return _findings(
        [
            frame.with_columns(value=knots)
            .filter((pl.col("value") > max_speed_kn) & (pl.col("time") - pl.col("prev_time") <= within))
            .select(
                "mmsi",
                "lat",
                "lon",
                "value",
                start=pl.col("prev_time"),
                end=pl.col("time"),
                rule=pl.lit(str(Rule.SHARED_MMSI)),
                threshold=pl.lit(float(max_speed_kn)),
            )
        ]
    )


def ais_dark(
    positions: pl.DataFrame,
    sightings: pl.DataFrame,
    *,
    gap_minutes: dict[str, float],
    within: timedelta = LOOKAROUND,
    horizon: datetime | None = None,
) -> pl.DataFrame:
    """A vessel a checkpoint saw (`sightings`: `mmsi` from the register by the read name, `time`,
    `checkpoint`, `waterway`, `record_id`) while its AIS was silent: the reports before and after the sighting
    are more than the waterway's gap apart (`gap_minutes[waterway]`, else `gap_minutes["default"]`). They are
    looked for within `within` of the sighting: none there counts as silence that long. Reports after
    `horizon` are not known yet (None: all are known): a sighting whose silence so far is within the gap is
    judged when more reports come. `value` is the gap in minutes (null without a report on both sides)."""
    if sightings.is_empty():
        return _findings([])
    track = positions.select("mmsi", "time").sort("time")
    seen = sightings.sort("time")
    before = seen.join_asof(
        track.rename({"time": "before"}),
        left_on="time",
        right_on="before",
        by="mmsi",
        strategy="backward",
        tolerance=within,
        check_sortedness=False,
    )
    both = before.join_asof(
        track.rename({"time": "after"}),
        left_on="time",
        right_on="after",
        by="mmsi",
        strategy="forward",
        tolerance=within,
        check_sortedness=False,
    )
    default = gap_minutes["default"]
    limit = pl.col("waterway").replace_strict(gap_minutes, default=default, return_dtype=pl.Float64)
    known = pl.col("time") + within
    if horizon is not None:
        known = pl.min_horizontal(known, _moment(horizon))
    silence = pl.coalesce("after", known) - pl.coalesce("before", pl.col("time") - within)
    return _findings(
        [
            both.with_columns(threshold=limit)
            .filter(silence.dt.total_seconds() / 60 > pl.col("threshold"))
            .select(
                "mmsi",
                "checkpoint",
                "record_id",
                "threshold",
                value=(pl.col("after") - pl.col("before")).dt.total_seconds() / 60,
                start=pl.coalesce("before", "time"),
                end=pl.coalesce("after", "time"),
                rule=pl.lit(str(Rule.AIS_DARK)),
                seen_name=pl.col("ship_name")
                if "ship_name" in sightings.columns
                else pl.lit(None, pl.String),
            )
        ]
    )


def normalise_name(name: pl.Expr) -> pl.Expr:
    """Ship names compared without case, spaces or punctuation (OCR and AIS write them differently)."""
    return name.str.to_uppercase().str.replace_all(r"[\s\-_.·]", "")


def _near(positions: pl.DataFrame, checkpoints: pl.DataFrame, radius_m: float) -> pl.DataFrame:
    """The reports within `radius_m` of a checkpoint (`mmsi`, `time`, `checkpoint`): reports and checkpoints
    meet in grid cells as large as the radius (a checkpoint's own cell and the eight around it), then the
    distance is measured. One join for all checkpoints."""
    schema = pl.Schema({"mmsi": pl.Int64(), "time": pl.Datetime("us", "UTC"), "checkpoint": pl.String()})
    if checkpoints.is_empty():
        return pl.DataFrame(schema=schema)
    per_lon, per_lat = metres_per_degree(float(checkpoints["lat"].to_numpy().mean()))
    size_lat, size_lon = 1.01 * radius_m / per_lat, 1.01 * radius_m / per_lon

    def row(lat: str) -> pl.Expr:
        return (pl.col(lat) / size_lat).floor().cast(pl.Int64)

    def column(lon: str) -> pl.Expr:
        return (pl.col(lon) / size_lon).floor().cast(pl.Int64)

    around = pl.DataFrame({"dy": [-1, -1, -1, 0, 0, 0, 1, 1, 1], "dx": [-1, 0, 1] * 3})
    cells = (
        checkpoints.select("checkpoint", c_lat="lat", c_lon="lon")
        .join(around, how="cross")
        .select(
            "checkpoint", "c_lat", "c_lon", cy=row("c_lat") + pl.col("dy"), cx=column("c_lon") + pl.col("dx")
        )
    )
    return (
        positions.select("mmsi", "time", "lat", "lon", cy=row("lat"), cx=column("lon"))
        .join(cells, on=["cy", "cx"])
        .filter(_metres(pl.col("lat"), pl.col("lon"), pl.col("c_lat"), pl.col("c_lon")) <= radius_m)
        .select("mmsi", "time", "checkpoint")
    )


def name_mismatch(
    positions: pl.DataFrame,
    static: pl.DataFrame,
    passages: pl.DataFrame,
    checkpoints: pl.DataFrame,
    *,
    window_minutes: float,
    radius_m: float,
    confidence_min: float,
    registered: pl.DataFrame | None = None,
    within: timedelta = LOOKAROUND,
) -> pl.DataFrame:
    """A checkpoint record (`passages`: `record_id`, `checkpoint`, `time`, `ship_name`, `confidence`) whose
    name, read with enough confidence, is the name of none of the vessels that reported a position within
    `radius_m` of the checkpoint (`checkpoints`: `checkpoint`, `lat`, `lon`) within ±`window_minutes`: the
    finding names the one nearest in time. A vessel's name is the register's (`registered`: `mmsi`, `name`)
    where it holds the MMSI — the name painted on the hull, which the camera reads (AIS carries names in Latin
    letters, Chinese inland vessels' in pinyin) — else the AIS static name it last gave, within `within`
    before the record. On a busy waterway several vessels pass a checkpoint within minutes: the read is
    compared with each of them, not only the nearest."""
    reads = passages.filter(pl.col("confidence") >= confidence_min).join(checkpoints, on="checkpoint")
    if reads.is_empty() or positions.is_empty():
        return _findings([])
    ais = _near(positions, checkpoints, radius_m)
    window_us = int(window_minutes * 60 * 1_000_000)
    bucket = pl.col("time").dt.epoch("us") // max(window_us, 1)
    ais = ais.select("checkpoint", "mmsi", ais_time="time", bucket=bucket.alias("b"))
    # Every vessel near the checkpoint within the window of each read: reads meet positions of their own
    # and the two neighbouring time buckets, then the window is applied exactly.
    candidates = (
        reads.select("record_id", "checkpoint", "time", bucket=pl.concat_list(bucket - 1, bucket, bucket + 1))
        .explode("bucket")
        .join(ais, on=["checkpoint", "bucket"])
        .with_columns(gap=(pl.col("ais_time") - pl.col("time")).dt.total_microseconds().abs())
        .filter(pl.col("gap") <= window_us)
        .group_by("record_id", "mmsi")
        .agg(pl.col("time").first(), pl.col("gap").min())
    )
    names = (
        static.filter(pl.col("name").is_not_null() & (pl.col("name") != ""))
        .sort("time")
        .select("mmsi", name_time="time", ais_name="name")
    )
    candidates = candidates.sort("time").join_asof(
        names.sort("name_time"),
        left_on="time",
        right_on="name_time",
        by="mmsi",
        strategy="backward",
        tolerance=within,
        check_sortedness=False,
    )
    book = registered.select("mmsi", registered_name="name") if registered is not None else None
    candidates = (
        candidates.join(book, on="mmsi", how="left")
        if book is not None
        else candidates.with_columns(registered_name=pl.lit(None, pl.String))
    ).with_columns(expected=pl.coalesce("registered_name", "ais_name"))
    read_name = reads.select("record_id", read=normalise_name(pl.col("ship_name")))
    candidates = candidates.join(read_name, on="record_id").with_columns(
        carries=normalise_name(pl.col("expected")) == pl.col("read")
    )
    carried = candidates.filter(pl.col("carries"))["record_id"]
    nearest = (
        candidates.filter(~pl.col("record_id").is_in(carried.implode()) & pl.col("expected").is_not_null())
        .sort("gap", "mmsi")
        .unique("record_id", keep="first")
        .select("record_id", "mmsi", "ais_name")
    )
    return _findings(
        [
            reads.join(nearest, on="record_id").select(
                "mmsi",
                "checkpoint",
                "record_id",
                "ais_name",
                start=pl.col("time"),
                end=pl.col("time"),
                seen_name=pl.col("ship_name"),
                value=pl.col("confidence"),
                threshold=pl.lit(float(confidence_min)),
                rule=pl.lit(str(Rule.NAME_MISMATCH)),
            )
        ]
    )


# ---------------------------------------------------------------------------------------------------------
# Muck transport


def muck(
    positions: pl.DataFrame,
    muck_vessels: Iterable[int],
    permits: Iterable[Permit],
    zones: dict[int, Zone],
    *,
    start_kn: float,
    end_kn: float,
    margin_m: float,
    unload_minutes: float,
    voyage_hours: float,
    horizon: datetime | None = None,
    since: datetime | None = None,
) -> pl.DataFrame:
    """A muck vessel's stops of at least `unload_minutes` (loading or unloading) judged against its permit on
    the stop's day (China time): none valid → no permit. A stop at the permit's loading zone starts a voyage
    of `voyage_hours` from the stop's end: a stop outside the loading and dumping zones that begins within
    it, before any stop at the dumping zone → unloading outside the designated zone; no stop at the dumping
    zone beginning within it, before the next loading → never reached it. A voyage is judged once it is over:
    at the next loading, or when `horizon` (the end of the reports known; None: all are) passes its end.
    `since`: only stops, and voyages whose loading stop, ending at or after it (earlier ones may be cut short
    by the start of the reports given)."""
    vessels = list(muck_vessels)
    track = positions.filter(pl.col("mmsi").is_in(vessels))
    all_stops = stops(track, start_kn=start_kn, end_kn=end_kn).filter(pl.col("minutes") >= unload_minutes)
    if all_stops.is_empty():
        return _findings([])
    all_stops = all_stops.with_columns(day=pl.col("start").dt.convert_time_zone("Asia/Shanghai").dt.date())
    permit_rows = pl.DataFrame(
        [p.__dict__ for p in permits],
        schema={
            "mmsi": pl.Int64,
            "loading_zone": pl.Int64,
            "dumping_zone": pl.Int64,
            "valid_from": pl.Date,
            "valid_to": pl.Date,
        },
    )
    judged = (
        all_stops.join(permit_rows, on="mmsi", how="left")
        .with_columns(
            valid=pl.col("day").is_between(pl.col("valid_from"), pl.col("valid_to")).fill_null(False)
        )
        .sort("valid", descending=True)
        .unique(["mmsi", "start"], keep="first")
        .sort("mmsi", "start")
    )
    recent = pl.lit(True) if since is None else pl.col("end") >= since
    no_permit = judged.filter(~pl.col("valid") & recent).with_columns(
        rule=pl.lit(str(Rule.MUCK_NO_PERMIT)),
        value=pl.col("minutes"),
        threshold=pl.lit(float(unload_minutes)),
    )
    permitted = judged.filter("valid")
    if permitted.is_empty():
        return _findings([no_permit])
    # A stop's mean position counts as in a zone within the zone's margin.
    _, zone_id = _zone_of(
        list(zones.values()), permitted["lon"].to_numpy(), permitted["lat"].to_numpy(), margin_m
    )
    voyage = timedelta(hours=voyage_hours)
    trip = ["mmsi", "trip"]
    permitted = (
        permitted.with_columns(
            at_loading=pl.Series(zone_id) == pl.col("loading_zone"),
            at_dumping=pl.Series(zone_id) == pl.col("dumping_zone"),
        )
        .with_columns(trip=pl.col("at_loading").cast(pl.Int32).cum_sum().over("mmsi"))
        .filter(pl.col("trip") > 0)
        .with_columns(
            # The trip's first stop is its loading stop; the voyage runs from its end.
            loaded_end=pl.col("end").first().over(trip),
            last_trip=pl.col("trip") == pl.col("trip").max().over("mmsi"),
        )
        .with_columns(
            in_voyage=~pl.col("at_loading") & (pl.col("start") <= pl.col("loaded_end") + voyage),
        )
        .with_columns(
            reached=pl.col("start").filter(pl.col("in_voyage") & pl.col("at_dumping")).min().over(trip),
        )
    )
    outside = permitted.filter(
        pl.col("in_voyage")
        & ~pl.col("at_dumping")
        & (pl.col("reached").is_null() | (pl.col("start") < pl.col("reached")))
        & recent
    ).with_columns(
        rule=pl.lit(str(Rule.MUCK_OUTSIDE_DUMPING_ZONE)),
        value=pl.col("minutes"),
        threshold=pl.lit(float(unload_minutes)),
    )
    over = pl.lit(True)
    if horizon is not None:
        ended = _moment(horizon) >= pl.col("loaded_end").first() + voyage
        over = ~pl.col("last_trip").first() | ended
    trips = (
        permitted.filter(pl.col("at_loading") | pl.col("in_voyage"))
        .group_by(trip, maintain_order=True)
        .agg(
            start=pl.col("start").first(),
            end=pl.col("end").max(),
            lat=pl.col("lat").first(),
            lon=pl.col("lon").first(),
            loaded_end=pl.col("loaded_end").first(),
            dumped=pl.col("reached").first().is_not_null(),
            over=over,
            zone=pl.col("dumping_zone").first(),
        )
    )
    never = trips.filter(
        ~pl.col("dumped") & pl.col("over") & (True if since is None else pl.col("loaded_end") >= since)
    ).with_columns(rule=pl.lit(str(Rule.MUCK_NEVER_DUMPED)), value=pl.lit(0.0), threshold=pl.lit(1.0))
    return _findings([no_permit, outside, never])


# ---------------------------------------------------------------------------------------------------------
# Track segments


def segments(
    positions: pl.DataFrame,
    findings: pl.DataFrame,
    *,
    margin: timedelta,
    max_points: int,
    start_kn: float,
    end_kn: float,
) -> list[list[list[object]]]:
    """Per finding (`mmsi`, `start`, `end`), its vessel's reports from `margin` before its start to `margin`
    after its end as [UTC ISO time, lat, lon, knots], thinned to about `max_points`: every n-th report, and
    always the first and last, those at the finding's start and end, and the first and last of each stop
    (hysteresis as in `with_stopped`). One join over all findings."""
    if findings.is_empty():
        return []
    theirs = positions.filter(pl.col("mmsi").is_in(findings["mmsi"].unique().implode()))
    tracked = with_stopped(
        theirs.select("mmsi", "time", "lat", "lon", "sog_kn"), start_kn=start_kn, end_kn=end_kn
    )
    stretch = pl.col("_stretch")
    before = ((stretch == stretch.shift(1)) & pl.col("stopped").shift(1)).fill_null(False)
    after = ((stretch == stretch.shift(-1)) & pl.col("stopped").shift(-1)).fill_null(False)
    tracked = tracked.with_columns(edge=pl.col("stopped") & ~(before & after)).with_row_index("row")
    # Each finding's reports are a run of rows (sorted by vessel and time): its first and last row.
    wanted = findings.select("mmsi", "start", "end").with_row_index("finding")
    wanted = wanted.with_columns(lo=pl.col("start") - margin, hi=pl.col("end") + margin)
    by_time = tracked.select("mmsi", "time", "row").sort("time")
    nearest: dict[str, Any] = {"right_on": "time", "by": "mmsi", "check_sortedness": False}
    bounds = (
        wanted.sort("lo")
        .join_asof(by_time.rename({"row": "first"}), left_on="lo", strategy="forward", **nearest)
        .drop("time")
        .sort("hi")
        .join_asof(by_time.rename({"row": "last"}), left_on="hi", strategy="backward", **nearest)
        .filter(pl.col("first") <= pl.col("last"))
        .sort("finding")
    )
    first, count = (
        bounds["first"].to_numpy().astype(np.int64),
        (bounds["last"] - bounds["first"] + 1).to_numpy(),
    )
    count = count.astype(np.int64)
    step = -(-count // max_points)  # every so many reports, to keep about max_points
    rows = np.repeat(first - np.cumsum(count) + count, count) + np.arange(int(count.sum()))
    i = rows - np.repeat(first, count)
    segment = (
        tracked[rows]
        .with_columns(
            finding=pl.Series(np.repeat(bounds["finding"].to_numpy(), count)),
            keep=pl.Series((i % np.repeat(step, count) == 0) | (i == np.repeat(count - 1, count))),
        )
        .join(wanted.select("finding", "start", "end"), on="finding", maintain_order="left")
        .filter(
            pl.col("keep")
            | pl.col("edge")
            | (pl.col("time") == pl.col("start"))
            | (pl.col("time") == pl.col("end"))
        )
        .group_by("finding", maintain_order=True)
        .agg(
            pl.col("time").dt.convert_time_zone("UTC").dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
            pl.col("lat").round(6),
            pl.col("lon").round(6),
            pl.col("sog_kn").round(1),
        )
    )
    points: list[list[list[object]]] = [[] for _ in range(findings.height)]
    for finding, times, lats, lons, knots in segment.iter_rows():
        points[finding] = [list(p) for p in zip(times, lats, lons, knots, strict=True)]
    return points
