"""The waterway map's read of one vessel's day from a year of AIS: a throw-away lake of 365 daily partitions
of JIAFA_BENCH_WATERWAY_DAY_ROWS reports each (default 50,000: 200 vessels, a report every 6 minutes or so).
Times, as medians of several vessels and days, reading the day from its partition (maps.day_track), the same
rows found by scanning the whole lake, the days of the last two weeks with a track (the vessel page), and the
whole overview drawn around a day's track.
Prints one JSON line per figure: figure, lake_rows, runs, median_s (and ratio to the partition read)."""

import json
import os
import shutil
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import numpy as np
import polars as pl

DAY_ROWS = int(os.environ.get("JIAFA_BENCH_WATERWAY_DAY_ROWS", "50000"))
DAYS, VESSELS, RUNS = 365, 200, 7
FIRST = date(2025, 1, 1)


def year(root: object) -> int:
    from jiafa.overload import lake
    from jiafa.waterway import nmea, pipeline

    rng = np.random.default_rng(1)
    per = DAY_ROWS // VESSELS
    for d in range(DAYS):
        day = FIRST + timedelta(days=d)
        start = datetime(day.year, day.month, day.day, tzinfo=UTC) - timedelta(hours=8)  # China midnight
        seconds = np.sort(rng.integers(0, 86_400, (VESSELS, per)), axis=1).ravel()
        mmsi = np.repeat(np.arange(413_000_000, 413_000_000 + VESSELS), per)
        heading = np.repeat(rng.uniform(0, 2 * np.pi, VESSELS), per)
        travelled = np.cumsum(np.full((VESSELS, per), 0.0008), axis=1).ravel()
        frame = pl.DataFrame(
            {
                "time": [start] * len(mmsi),
                "offset": seconds,
                "mmsi": mmsi,
                "lat": 30.75 + np.sin(heading) * travelled % 0.3,
                "lon": 120.75 + np.cos(heading) * travelled % 0.3,
                "sog_kn": rng.choice([0.0, 6.0], len(mmsi), p=[0.3, 0.7]),
            }
        ).with_columns(time=pl.col("time").dt.cast_time_unit("us") + pl.duration(seconds=pl.col("offset")))
        frame = frame.select(
            [pl.col(c) if c in frame.columns else pl.lit(None).alias(c) for c in nmea.POSITION_SCHEMA.names()]
        ).cast(nmea.POSITION_SCHEMA)
        lake.add_parts(root, {(pipeline.POSITIONS, day.isoformat()): frame})  # type: ignore[arg-type]
    return DAYS * per * VESSELS


def median(run: Callable[[int], object]) -> float:
    times = []
    for i in range(RUNS):
        start = time.perf_counter()
        run(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    tmp = tempfile.mkdtemp(prefix="jiafa-bench-")
    os.environ["JIAFA_DATA_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jiafa.settings")
    try:
        import django

        django.setup()
        from jiafa.waterway import maps, pipeline

        rows = year(pipeline.lake_root())

        def vessel(i: int) -> tuple[int, date]:
            return 413_000_000 + i * 17 % VESSELS, FIRST + timedelta(days=i * 53 % DAYS)

        def whole_lake(i: int) -> pl.DataFrame:
            mmsi, day = vessel(i)
            scanned = pipeline.scan(pipeline.POSITIONS)
            assert scanned is not None
            local = pl.col("time").dt.convert_time_zone(pipeline.CHINA).dt.date()
            return scanned.filter((pl.col("mmsi") == mmsi) & (local == day)).collect()

        def overview(i: int) -> object:
            mmsi, day = vessel(i)
            return maps.overview(maps.Shapes([], [], []), [], maps.day_track(mmsi, day), day)

        partition = median(lambda i: maps.day_track(*vessel(i)))
        figures = {
            "day_track": partition,
            "whole_lake_scan": median(whole_lake),
            "days_with_track_14": median(
                lambda i: maps.days_with_track(
                    vessel(i)[0], [vessel(i)[1] - timedelta(days=d) for d in range(14)]
                )
            ),
            "overview_with_track": median(overview),
        }
        for figure, seconds in figures.items():
            line = {"benchmark": "waterway_map", "figure": figure, "lake_rows": rows, "runs": RUNS}
            line |= {"median_s": round(seconds, 4), "ratio_to_day_track": round(seconds / partition, 1)}
            print(json.dumps(line))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
