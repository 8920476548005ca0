"""Hand-built tracks for the detection rules: a vessel's reports as (minutes after 08:00 China time, lat, lon,
speed in knots)."""

from datetime import UTC, datetime, timedelta

import polars as pl
import shapely

from jiafa.waterway import nmea
from jiafa.waterway.rules import Zone

T0 = datetime(2025, 6, 2, 0, 0, tzinfo=UTC)  # 08:00 in Jiaxing
LAT, LON = 30.75, 120.75
# A box of about 100 m × 100 m around (LAT, LON): 0.0009° of latitude ≈ 100 m, 0.00105° of longitude ≈ 100 m.
BOX = shapely.box(LON - 0.000525, LAT - 0.00045, LON + 0.000525, LAT + 0.00045)
METRE_LAT = 1 / 111_195  # degrees of latitude per metre


def at(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def track(mmsi: int, points: list[tuple[float, float, float, float]]) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "time": [at(m) for m, *_ in points],
            "mmsi": [mmsi] * len(points),
            "lat": [p[1] for p in points],
            "lon": [p[2] for p in points],
            "sog_kn": [p[3] for p in points],
        }
    ).with_columns(pl.col("time").dt.cast_time_unit("us"))


def stay(mmsi: int, minutes: float, *, lat: float = LAT, lon: float = LON, start: float = 0) -> pl.DataFrame:
    """Arrive at 2 kn, stop from `start` for `minutes` (a report a minute), leave at 2 kn."""
    points = [(start - 5, lat - 0.003, lon, 2.0)]
    steps = int(minutes)
    points += [(start + i, lat, lon, 0.0) for i in range(steps + 1)]
    if minutes > steps:
        points.append((start + minutes, lat, lon, 0.0))
    points.append((start + minutes + 1, lat + 0.003, lon, 2.0))
    return track(mmsi, points)


def zone(kind: str, *, licensed: bool = False, id: int = 1, allowed: frozenset[int] = frozenset()) -> Zone:
    return Zone(id=id, kind=kind, licensed=licensed, polygon=BOX, allowed=allowed)


def static(mmsi: int, name: str, minutes: float = -60) -> pl.DataFrame:
    row = {c: None for c in nmea.STATIC_SCHEMA.names()} | {"time": at(minutes), "mmsi": mmsi, "name": name}
    return pl.DataFrame([row], schema=nmea.STATIC_SCHEMA)


def lake_positions(track_frame: pl.DataFrame) -> pl.DataFrame:
    """A hand-built track as the lake stores positions (the columns it lacks left empty)."""
    return track_frame.select(
        [
            pl.col(c) if c in track_frame.columns else pl.lit(None).alias(c)
            for c in nmea.POSITION_SCHEMA.names()
        ]
    ).cast(nmea.POSITION_SCHEMA)
