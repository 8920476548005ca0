"""Detection over decoded positions: JIAFA_BENCH_WATERWAY_POSITIONS generated reports (default 2,000,000) of
2,000 vessels, a report a minute, moving and stopping, with 50 watched zones. Times stops with hysteresis,
illegal berthing and unlicensed docks (zones with their margins), the one-MMSI-in-two-places check, the
three one after the other (all_three), and the three with the track segment of every berthing finding
(with_tracks).
Prints one JSON line per figure: rule, positions, seconds, positions_per_s."""

import json
import os
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import polars as pl
import shapely

from jiafa.waterway import rules

N = int(os.environ.get("JIAFA_BENCH_WATERWAY_POSITIONS", "2000000"))
VESSELS = 2000
ORIGIN_LAT, ORIGIN_LON = 30.75, 120.75


def world(seed: int = 1) -> tuple[pl.DataFrame, list[rules.Zone]]:
    rng = np.random.default_rng(seed)
    per = N // VESSELS
    mmsi = np.repeat(np.arange(413_000_000, 413_000_000 + VESSELS), per)
    minute = np.tile(np.arange(per), VESSELS)
    # Alternate an hour under way at 6 kn with 40 minutes stopped, each vessel from its own start.
    phase = (minute + np.repeat(rng.integers(0, 100, VESSELS), per)) % 100
    moving = phase < 60
    sog = np.where(moving, rng.normal(6, 0.5, len(mmsi)), np.abs(rng.normal(0.05, 0.05, len(mmsi))))
    step = np.where(moving, 6 * 1852 / 60 / 111_195, 0.0)
    lat = ORIGIN_LAT + np.cumsum(step.reshape(VESSELS, per), axis=1).ravel() % 0.2
    lon = ORIGIN_LON + np.repeat(rng.uniform(0, 0.2, VESSELS), per)
    start = datetime(2025, 6, 2, tzinfo=UTC)
    positions = pl.DataFrame({"mmsi": mmsi, "minute": minute, "lat": lat, "lon": lon, "sog_kn": sog}).select(
        "mmsi",
        "lat",
        "lon",
        "sog_kn",
        time=pl.lit(start).dt.cast_time_unit("us") + pl.duration(minutes=pl.col("minute")),
    )
    zones = [
        rules.Zone(
            id=i,
            kind=("no_berthing", "dock", "berth")[i % 3],
            licensed=False,
            polygon=shapely.box(x, y, x + 0.002, y + 0.002),
        )
        for i, (x, y) in enumerate(
            zip(
                rng.uniform(ORIGIN_LON, ORIGIN_LON + 0.2, 50),
                rng.uniform(ORIGIN_LAT, ORIGIN_LAT + 0.2, 50),
                strict=True,
            )
        )
    ]
    return positions, zones


def timed(rule: str, positions: int, run: Callable[[], object]) -> None:
    start = time.perf_counter()
    run()
    seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "benchmark": "waterway_detect",
                "rule": rule,
                "positions": positions,
                "seconds": round(seconds, 3),
                "positions_per_s": round(positions / seconds),
            }
        )
    )


def main() -> None:
    positions, zones = world()
    n = positions.height
    timed("stops", n, lambda: rules.stops(positions, start_kn=0.2, end_kn=0.5))
    timed("shared_mmsi", n, lambda: rules.shared_mmsi(positions, max_speed_kn=30))
    berthing: dict[str, Any] = {"start_kn": 0.2, "end_kn": 0.5, "margin_m": 20, "min_minutes": 30}
    timed("illegal_berthing_50_zones", n, lambda: rules.illegal_berthing(positions, zones, **berthing))

    def all_three() -> None:
        rules.stops(positions, start_kn=0.2, end_kn=0.5)
        rules.shared_mmsi(positions, max_speed_kn=30)
        rules.illegal_berthing(positions, zones, **berthing)

    timed("all_three", n, all_three)

    def with_tracks() -> None:
        # The world's vessels jump back across its 0.2° box now and then: thousands of MMSI pairs, not
        # findings a run records; the berthing findings get their tracks.
        rules.stops(positions, start_kn=0.2, end_kn=0.5)
        rules.shared_mmsi(positions, max_speed_kn=30)
        found = rules.illegal_berthing(positions, zones, **berthing)
        rules.segments(
            positions, found, margin=timedelta(minutes=30), max_points=500, start_kn=0.2, end_kn=0.5
        )

    timed("with_tracks", n, with_tracks)


if __name__ == "__main__":
    main()
