"""Detection rules over AIS tracks and checkpoint records (law.md §5). Pure code: frames in, frames out; no
database, no clock, every threshold an argument (the callers read them from `law/data/rules/waterway.json`).

Positions are `nmea.POSITION_SCHEMA` frames (at least `mmsi`, `time`, `lat`, `lon`, `sog_kn`). Every rule is
vectorised: Polars over the rows, shapely 2 over the points for polygons. Each finding frame has `rule`,
`mmsi`, `start`, `end` and the numbers it rests on (`value` against `threshold`), so that it can be explained.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

import numpy as np
import polars as pl
import shapely
from shapely.geometry.base import BaseGeometry

from jiafa.waterway.geometry import EARTH_RADIUS_M, metres_per_degree

KNOT_M_S = 1852 / 3600


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


def _hysteresis(enter: pl.Expr, leave: pl.Expr, value: pl.Expr | None = None) -> pl.Expr:
    """A state per row of one vessel's track: on (or `value`, a non-negative id) from a row where `enter`
    holds until a row where `leave` holds; rows in between keep the state they had. Off is False (or null
    for an id). Call on rows sorted by vessel and time."""
    if value is None:
        signal = pl.when(enter).then(True).when(leave).then(False)
        return signal.forward_fill().over("mmsi").fill_null(False)
    state = pl.when(enter).then(value).when(leave).then(-1).forward_fill().over("mmsi")
    return pl.when(state >= 0).then(state)


def _runs(frame: pl.DataFrame, state: str, key: str | None = None) -> pl.DataFrame:
    """The stretches of consecutive rows of one vessel where `state` holds (and `key`, if given, stays the
    same): `mmsi`, `start`, `end`, `minutes`, the mean position, the number of reports, and `key`."""
    changed = pl.col(state) != pl.col(state).shift(1)
    if key is not None:
        changed = changed | pl.col(key).ne_missing(pl.col(key).shift(1))
    keys = ["mmsi", "_run"] + ([key] if key else [])
    return (
        frame.with_columns(_run=changed.over("mmsi").fill_null(True).cum_sum())
        .filter(pl.col(state))
        .group_by(keys, maintain_order=True)
        .agg(
            start=pl.col("time").first(),
            end=pl.col("time").last(),
            lat=pl.col("lat").mean(),
            lon=pl.col("lon").mean(),
            reports=pl.len(),
        )
        .with_columns(minutes=(pl.col("end") - pl.col("start")).dt.total_seconds() / 60)
        .drop("_run")
    )


def with_stopped(positions: pl.DataFrame, *, start_kn: float, end_kn: float) -> pl.DataFrame:
    """Each report with `stopped`: speed ≤ `start_kn` starts a stop, ≥ `end_kn` ends it (GFW hysteresis)."""
    return _by_vessel(positions).with_columns(
        stopped=_hysteresis(pl.col("sog_kn") <= start_kn, pl.col("sog_kn") >= end_kn)
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
    cells = []
    for shape, (x0, y0), (x1, y1) in zip(range(len(shapes)), lo, hi, strict=True):
        gx, gy = np.meshgrid(np.arange(x0, x1 + 1), np.arange(y0, y1 + 1))
        cells.append(pl.DataFrame({"gx": gx.ravel(), "gy": gy.ravel(), "shape": shape}))
    points = pl.DataFrame(
        {"gx": np.floor(x / cell).astype(np.int64), "gy": np.floor(y / cell).astype(np.int64)}
    ).with_row_index("point")
    pairs = points.join(pl.concat(cells), on=["gx", "gy"])
    return pairs["point"].to_numpy().astype(np.int64), pairs["shape"].to_numpy().astype(np.int64)


def with_zones(positions: pl.DataFrame, zones: list[Zone], *, margin_m: float) -> pl.DataFrame:
    """Each report (sorted by vessel and time) with `zone`: the zone the vessel is in. Entering takes a report
    inside the polygon; leaving, one outside the polygon grown by `margin_m`."""
    frame = _by_vessel(positions)
    inner, outer = _zone_of(zones, frame["lon"].to_numpy(), frame["lat"].to_numpy(), margin_m)
    frame = frame.with_columns(_inner=pl.Series(inner), _outer=pl.Series(outer))
    entering = pl.col("_inner") >= 0
    return frame.with_columns(
        zone=_hysteresis(entering, pl.col("_outer") < 0, pl.when(entering).then(pl.col("_inner")))
    ).drop("_inner", "_outer")


def dwells(
    positions: pl.DataFrame, zones: list[Zone], *, start_kn: float, end_kn: float, margin_m: float
) -> pl.DataFrame:
    """Stretches stopped inside a zone, with `zone` and `minutes`. Only stopped reports, and the one before
    each stop (where the vessel entered), are placed in zones: a dwell can't span a report under way."""
    tracked = with_stopped(positions, start_kn=start_kn, end_kn=end_kn)
    tracked = tracked.filter(pl.col("stopped") | pl.col("stopped").shift(-1).over("mmsi").fill_null(False))
    tracked = with_zones(tracked, zones, margin_m=margin_m)
    tracked = tracked.with_columns(dwelling=pl.col("stopped") & pl.col("zone").is_not_null())
    return _runs(tracked, "dwelling", key="zone")


def illegal_berthing(
    positions: pl.DataFrame,
    zones: Iterable[Zone],
    *,
    start_kn: float,
    end_kn: float,
    margin_m: float,
    min_minutes: float,
) -> pl.DataFrame:
    """Stopped at least `min_minutes` in a no-berthing zone, or at a dock or berth that is not licensed and
    does not admit that vessel (operation at an unlicensed dock)."""
    rule_of = {}
    for zone in zones:
        if zone.kind == "no_berthing":
            rule_of[zone.id] = (zone, Rule.ILLEGAL_BERTHING)
        elif zone.kind in ("dock", "berth") and not zone.licensed:
            rule_of[zone.id] = (zone, Rule.UNLICENSED_DOCK)
    watched = [zone for zone, _ in rule_of.values()]
    stays = dwells(positions, watched, start_kn=start_kn, end_kn=end_kn, margin_m=margin_m)
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


def shared_mmsi(positions: pl.DataFrame, *, max_speed_kn: float) -> pl.DataFrame:
    """Consecutive reports of one MMSI farther apart than `max_speed_kn` allows: two transmitters share it.
    Reports of the same second count as one second apart."""
    frame = _by_vessel(positions).with_columns(
        prev_time=pl.col("time").shift(1).over("mmsi"),
        prev_lat=pl.col("lat").shift(1).over("mmsi"),
        prev_lon=pl.col("lon").shift(1).over("mmsi"),
    )
    seconds = (pl.col("time") - pl.col("prev_time")).dt.total_seconds(fractional=True).clip(lower_bound=1.0)
    knots = _metres(pl.col("prev_lat"), pl.col("prev_lon"), pl.col("lat"), pl.col("lon")) / seconds / KNOT_M_S
    return _findings(
        [
            frame.with_columns(value=knots)
            .filter(pl.col("value") > max_speed_kn)
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
    positions: pl.DataFrame, sightings: pl.DataFrame, *, gap_minutes: dict[str, float]
) -> pl.DataFrame:
    """A vessel a checkpoint saw (`sightings`: `mmsi` from the register by the read name, `time`,
    `checkpoint`, `waterway`, `record_id`) while its AIS was silent: the reports before and after the sighting
    are more than the waterway's gap apart (`gap_minutes[waterway]`, else `gap_minutes["default"]`), or there
    is none."""
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
        check_sortedness=False,
    )
    both = before.join_asof(
        track.rename({"time": "after"}),
        left_on="time",
        right_on="after",
        by="mmsi",
        strategy="forward",
        check_sortedness=False,
    )
    default = gap_minutes["default"]
    limit = pl.col("waterway").replace_strict(gap_minutes, default=default, return_dtype=pl.Float64)
    gap = (pl.col("after") - pl.col("before")).dt.total_seconds() / 60
    return _findings(
        [
            both.with_columns(value=gap, threshold=limit)
            .filter(pl.col("value").is_null() | (pl.col("value") > pl.col("threshold")))
            .select(
                "mmsi",
                "checkpoint",
                "record_id",
                "value",
                "threshold",
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
) -> pl.DataFrame:
    """A checkpoint record (`passages`: `record_id`, `checkpoint`, `time`, `ship_name`, `confidence`) whose
    name, read with enough confidence, is the name of none of the vessels that reported a position within
    `radius_m` of the checkpoint (`checkpoints`: `checkpoint`, `lat`, `lon`) within ±`window_minutes`: the
    finding names the one nearest in time. A vessel's name is the register's (`registered`: `mmsi`, `name`)
    where it holds the MMSI — the name painted on the hull, which the camera reads (AIS carries names in Latin
    letters, Chinese inland vessels' in pinyin) — else its AIS static name. On a busy waterway several vessels
    pass a checkpoint within minutes: the read is compared with each of them, not only the nearest."""
    reads = passages.filter(pl.col("confidence") >= confidence_min).join(checkpoints, on="checkpoint")
    if reads.is_empty() or positions.is_empty():
        return _findings([])
    near = []
    for code, lat, lon in checkpoints.select("checkpoint", "lat", "lon").iter_rows():
        per_lon, per_lat = metres_per_degree(lat)
        dlat, dlon = 1.01 * radius_m / per_lat, 1.01 * radius_m / per_lon  # a box first: cheap to test
        box = pl.col("lat").is_between(lat - dlat, lat + dlat) & pl.col("lon").is_between(
            lon - dlon, lon + dlon
        )
        close = positions.filter(box).filter(
            _metres(pl.col("lat"), pl.col("lon"), pl.lit(lat), pl.lit(lon)) <= radius_m
        )
        near.append(close.select("mmsi", "time", checkpoint=pl.lit(code)))
    window_us = int(window_minutes * 60 * 1_000_000)
    bucket = pl.col("time").dt.epoch("us") // max(window_us, 1)
    ais = pl.concat(near).select("checkpoint", "mmsi", ais_time="time", bucket=bucket.alias("b"))
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
) -> pl.DataFrame:
    """A muck vessel's stops of at least `unload_minutes` (loading or unloading) judged against its permit on
    the stop's day (China time): none valid → no permit; a stop outside the permit's loading and dumping
    zones after loading → unloading outside the designated zone; a loading stop followed by no stop in the
    dumping zone before the next loading or the end of the track → never reached it."""
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
    no_permit = judged.filter(~pl.col("valid")).with_columns(
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
    permitted = permitted.with_columns(
        at_loading=pl.Series(zone_id) == pl.col("loading_zone"),
        at_dumping=pl.Series(zone_id) == pl.col("dumping_zone"),
    )
    # Loaded from a stop at the loading zone until a stop at the dumping zone.
    loaded = (
        pl.when(pl.col("at_loading"))
        .then(True)
        .when(pl.col("at_dumping"))
        .then(False)
        .forward_fill()
        .over("mmsi")
    )
    permitted = permitted.with_columns(
        loaded_before=loaded.shift(1).over("mmsi").fill_null(False),
        trip=pl.col("at_loading").cast(pl.Int32).cum_sum().over("mmsi"),
    )
    outside = permitted.filter(
        pl.col("loaded_before") & ~pl.col("at_loading") & ~pl.col("at_dumping")
    ).with_columns(
        rule=pl.lit(str(Rule.MUCK_OUTSIDE_DUMPING_ZONE)),
        value=pl.col("minutes"),
        threshold=pl.lit(float(unload_minutes)),
    )
    trips = (
        permitted.filter(pl.col("trip") > 0)
        .group_by("mmsi", "trip", maintain_order=True)
        .agg(
            start=pl.col("start").first(),
            end=pl.col("end").last(),
            lat=pl.col("lat").first(),
            lon=pl.col("lon").first(),
            dumped=pl.col("at_dumping").any(),
            zone=pl.col("dumping_zone").first(),
        )
    )
    never = trips.filter(~pl.col("dumped")).with_columns(
        rule=pl.lit(str(Rule.MUCK_NEVER_DUMPED)), value=pl.lit(0.0), threshold=pl.lit(1.0)
    )
    return _findings([no_permit, outside, never])
