"""`jiafa waterway ingest`: files into the Parquet lake under $JIAFA_DATA_DIR/lake/:

    ais_positions/date=YYYY-MM-DD/part-NNNNNN.parquet   positions (nmea.POSITION_SCHEMA)
    ais_static/date=…/…                                  static reports (nmea.STATIC_SCHEMA)
    checkpoint_passages/date=…/…                         camera records (records.PASSAGE_SCHEMA)

The day is that of the record's time in China time. Parts are written whole under the day's lock (the
overload lake's helpers) and never changed. Idempotent: a row the lake already holds — same vessel, time
and position; same vessel, time and static message; same camera record id — is a duplicate, not written
again.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings

from jiafa.core import audit
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.overload import lake
from jiafa.waterway import records

CHINA = "Asia/Shanghai"
POSITIONS, STATIC, PASSAGES = "ais_positions", "ais_static", "checkpoint_passages"
KEYS = {
    POSITIONS: ["mmsi", "time", "lat", "lon"],
    STATIC: ["mmsi", "time", "msg_type", "part"],
    PASSAGES: ["record_id"],
}


def lake_root() -> Path:
    return Path(settings.DATA_DIR) / "lake"


@dataclass
class FileResult:
    name: str
    sha256: str
    kind: str
    messages: int = 0
    positions: int = 0  # rows newly written
    static: int = 0
    passages: int = 0
    duplicates: int = 0  # rows the lake already held, or repeated within the file
    rejected: dict[str, int] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def ingest_path(path: Path, *, default_time: datetime | None = None, actor: Any = None) -> FileResult:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise JiafaError(ErrorCode.INVALID_INPUT, f"{path.name}：无法读取文件（{e.strerror}）") from e
    parsed = records.parse(data, path.name, default_time=default_time)
    result = FileResult(
        path.name, hashlib.sha256(data).hexdigest(), str(parsed.kind), messages=parsed.messages
    )
    result.rejected = dict(parsed.rejected)
    frames = {POSITIONS: parsed.positions, STATIC: parsed.static, PASSAGES: parsed.passages}
    written, duplicates = add(lake_root(), frames)
    result.positions, result.static, result.passages = written[POSITIONS], written[STATIC], written[PASSAGES]
    result.duplicates = duplicates
    audit.record("waterway.ingest", actor=actor, detail=result.as_dict())
    return result


def add(root: Path, frames: dict[str, pl.DataFrame]) -> tuple[dict[str, int], int]:
    """Add the rows the lake does not hold yet; returns the rows written per area and the duplicates."""
    by_day: dict[tuple[str, str], pl.DataFrame] = {}
    duplicates = 0
    for area, frame in frames.items():
        unique = frame.unique(KEYS[area], keep="first", maintain_order=True)
        duplicates += frame.height - unique.height
        dated = unique.with_columns(_day=pl.col("time").dt.convert_time_zone(CHINA).dt.date().cast(pl.String))
        for (day,), part in dated.partition_by("_day", as_dict=True).items():
            by_day[area, str(day)] = part.drop("_day")
    written = {area: 0 for area in frames}
    with lake.days_locked(root, {day for _, day in by_day}):
        new: dict[tuple[str, str], pl.DataFrame] = {}
        for (area, day), part in by_day.items():
            held = _held(root, area, day)
            fresh = part.join(held, on=KEYS[area], how="anti", nulls_equal=True) if held is not None else part
            duplicates += part.height - fresh.height
            if fresh.height:
                new[area, day] = fresh
        for (area, _), rows in lake.add_parts(root, new).items():
            written[area] += rows
    return written, duplicates


def _held(root: Path, area: str, day: str) -> pl.DataFrame | None:
    files = [p for _, p in lake.parts(lake.partition(root, area, day))]
    if not files:
        return None
    return pl.scan_parquet(files).select(KEYS[area]).collect()


def scan(area: str, root: Path | None = None) -> pl.LazyFrame | None:
    """Every part of an area of the lake, or None when it holds nothing."""
    folder = (root or lake_root()) / area
    files = sorted(folder.glob("date=*/part-*.parquet")) if folder.is_dir() else []
    return pl.scan_parquet(files) if files else None


def scan_days(area: str, days: Iterable[date], root: Path | None = None) -> pl.LazyFrame | None:
    """The parts of the given days (China time) only, or None when they hold nothing: a page that shows a day
    lists that day's folder, not a year of them."""
    base = root or lake_root()
    files = [p for day in days for _, p in lake.parts(lake.partition(base, area, day.isoformat()))]
    return pl.scan_parquet(files) if files else None


Parts = dict[str, list[tuple[int, Path]]]  # per day (YYYY-MM-DD), its parts by number


def parts(area: str, root: Path | None = None) -> Parts:
    """The parts an area holds now, per day: what a reader reads, whatever is written meanwhile."""
    root = root or lake_root()
    return {day: lake.parts(lake.partition(root, area, day)) for day in lake.days(root, area)}


def read(
    held: Parts, days: Iterable[str], schema: pl.Schema, *, mmsi: Iterable[int] | None = None
) -> pl.DataFrame:
    """The rows of the given days' parts (of `held`), or only those of some vessels."""
    files = [path for day in sorted(set(days)) for _, path in held.get(day, [])]
    if not files:
        return pl.DataFrame(schema=schema)
    frame = pl.scan_parquet(files)
    if mmsi is not None:
        frame = frame.filter(pl.col("mmsi").is_in(list(mmsi)))
    return frame.collect()
