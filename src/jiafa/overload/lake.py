"""The Parquet lake of weighing records, on disk under $JIAFA_DATA_DIR/lake/:

    wim/date=YYYY-MM-DD/part-000001.parquet            valid records (records.LAKE_COLUMNS)
    wim_rejected/date=YYYY-MM-DD|unknown/part-….parquet rejected records with their reason (REJECTED_COLUMNS)
    wim_violations/date=YYYY-MM-DD/….parquet           what detection found over the limit (its context
                                                         for trips that continue in later files)
    wim_examined.json                                   per day, the last part detection has read
    .locks/                                             one lock file per day, and one for detection

The day is that of `passed_at` in China time; `unknown` holds records whose time could not be read. A part is
written to a hidden temporary name and renamed into place while its day's lock is held, so a reader sees
whole files only, and part numbers within a day only ever grow: detection's bookmark is a number per day.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import uuid
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

VALID, REJECTED, VIOLATIONS = "wim", "wim_rejected", "wim_violations"
UNKNOWN_DAY = "unknown"
PART = re.compile(r"^part-(\d{6,})\.parquet$")
# LZ4: written about an eighth faster than zstd level 1 and read nearly twice as fast, for files about a third
# larger (docs/decisions/0004-overload-throughput.md). Parts written with zstd before read as they are: a
# Parquet file names its own compression. No column statistics: they cost a quarter of the writing time, and
# no reader prunes by them (ids are not sorted, and a day's files are chosen by their folder).
WRITE_OPTIONS: dict[str, Any] = {"compression": "lz4", "statistics": False}
MANIFEST = "wim_examined.json"


def partition(root: Path, area: str, day: str) -> Path:
    return root / area / f"date={day}"


@contextmanager
def locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` (created if need be), held across threads and processes alike."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)


@contextmanager
def days_locked(root: Path, days: Iterable[str]) -> Iterator[None]:
    """The locks of several days, always taken in the same order so that two writers can't deadlock."""
    with ExitStack() as stack:
        for day in sorted(set(days)):
            stack.enter_context(locked(root / ".locks" / f"{day}.lock"))
        yield


def parts(folder: Path) -> list[tuple[int, Path]]:
    """The finished parts of a partition, by number."""
    if not folder.is_dir():
        return []
    found = [(int(m.group(1)), folder / m.group(0)) for m in map(PART.match, os.listdir(folder)) if m]
    return sorted(found)


def record_ids(root: Path, area: str, days: Iterable[str]) -> pl.Series:
    """Every record id an area of the lake holds for the given days. Call with the days' locks held."""
    files = [p for day in days for _, p in parts(partition(root, area, day))]
    if not files:
        return pl.Series("record_id", [], dtype=pl.String)
    return pl.scan_parquet(files).select("record_id").collect().to_series()


def add_parts(root: Path, frames: dict[tuple[str, str], pl.DataFrame]) -> dict[tuple[str, str], int]:
    """Write each (area, day) frame as that day's next part; returns the rows written. Call with the days'
    locks held: leftover temporary files are then known to be a crashed writer's and are removed. An empty
    frame writes no part. Parts are renamed into place only once all are written."""
    staged: dict[tuple[str, str], Path] = {}
    try:
        for (area, day), frame in frames.items():
            if frame.is_empty():
                continue
            folder = partition(root, area, day)
            folder.mkdir(parents=True, exist_ok=True)
            for name in os.listdir(folder):
                if name.startswith(".tmp-"):
                    (folder / name).unlink(missing_ok=True)
            staged[area, day] = folder / f".tmp-{uuid.uuid4().hex}"
            frame.write_parquet(staged[area, day], **WRITE_OPTIONS)
        for (area, day), tmp in staged.items():
            existing = parts(partition(root, area, day))
            os.rename(tmp, tmp.parent / f"part-{(existing[-1][0] if existing else 0) + 1:06d}.parquet")
        return {key: frame.height for key, frame in frames.items()}
    finally:
        for tmp in staged.values():
            tmp.unlink(missing_ok=True)


def write_atomic(path: Path, frame: pl.DataFrame) -> None:
    """Write a file whole or not at all (the same name twice: the later content wins)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".tmp-{uuid.uuid4().hex}"
    try:
        frame.write_parquet(tmp, **WRITE_OPTIONS)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def days(root: Path, area: str) -> list[str]:
    folder = root / area
    if not folder.is_dir():
        return []
    return sorted(n[5:] for n in os.listdir(folder) if n.startswith("date=") and n[5:] != UNKNOWN_DAY)


def examined(root: Path) -> dict[str, int]:
    """Detection's bookmark: per day, the number of the last valid part it has read."""
    path = root / MANIFEST
    if not path.exists():
        return {}
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return {str(k): int(v) for k, v in data.get("examined", {}).items()}


def set_examined(root: Path, bookmark: dict[str, int]) -> None:
    path = root / MANIFEST
    tmp = root / f".tmp-{uuid.uuid4().hex}"
    tmp.write_text(json.dumps({"examined": dict(sorted(bookmark.items()))}, indent=1), encoding="utf-8")
    os.replace(tmp, path)


def unexamined(root: Path, bookmark: dict[str, int]) -> list[tuple[str, int, Path]]:
    """The valid parts detection has not read yet: (day, number, path)."""
    out = []
    for day in days(root, VALID):
        done = bookmark.get(day, 0)
        out += [(day, n, p) for n, p in parts(partition(root, VALID, day)) if n > done]
    return out


def violation_files(root: Path, around: Iterable[date]) -> list[Path]:
    """Detection's earlier findings' records on the given days."""
    out: list[Path] = []
    for day in sorted(set(around)):
        folder = partition(root, VIOLATIONS, day.isoformat())
        if folder.is_dir():
            out += sorted(p for p in folder.iterdir() if p.suffix == ".parquet")
    return out
