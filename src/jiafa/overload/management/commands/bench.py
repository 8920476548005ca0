"""`jiafa bench overload --records N`: the non-site pipeline end to end on N generated weighing records.

The records are generated here (Polars expressions, no Python object per record) into a Parquet file, as a
station network would send them. A child process then runs in a throw-away world — a temporary data directory
and a temporary SQLite database, migrated, with the generated stations and their certificates — and times
`ingest_path` + `detect` (read → validate → lake → determine → dedupe → findings and evidence packs written),
and, apart, reading the same file (`scan_only_records_per_s`). The user's database and lake are never touched;
the temporary directory is removed afterwards. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandParser

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.management.base import JiafaCommand
from jiafa.law.book import rulebook
from jiafa.overload import records

DEFAULT_RECORDS = 5_000_000
STATIONS = 24
RECORDS_PER_DAY = 1_000_000  # about what two dozen busy stations weigh in a day
START = date(2025, 6, 2)
c = pl.col


class Command(JiafaCommand):
    help = (
        "性能基准：overload 生成 N 条模拟动态称重记录，计时导入、认定、去重到写入线索的全过程，输出一行 JSON"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        sub = parser.add_subparsers(dest="topic", required=True)
        overload = sub.add_parser("overload", help="非现场治超流水线")
        overload.add_argument("--records", type=int, default=DEFAULT_RECORDS, help="记录条数")
        overload.add_argument("--seed", type=int, default=1, help="随机种子")
        overload.add_argument("--world", type=Path, help=argparse.SUPPRESS)  # the child's own
        self.add_json_flag(overload)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["records"] < 1:
            raise JiafaError(ErrorCode.INVALID_INPUT, "记录条数应为正整数")
        if options["world"] is not None:
            figures = _measure(options["world"], options["records"])
        else:
            figures = _run(options["records"], options["seed"])
        self.stdout.write(json.dumps(figures, ensure_ascii=False))


def _run(n: int, seed: int) -> dict[str, Any]:
    """Generate the records, then measure in a child process pointed at a temporary world."""
    world = Path(tempfile.mkdtemp(prefix="jiafa-bench-"))
    try:
        generate(n, seed).write_parquet(world / "records.parquet")
        env = {
            **os.environ,
            "JIAFA_DATA_DIR": str(world / "data"),
            "JIAFA_DATABASE_URL": f"sqlite:///{world / 'bench.sqlite3'}",
            "DJANGO_SETTINGS_MODULE": "jiafa.settings",
        }
        command = [
            sys.executable,
            "-m",
            "jiafa.cli",
            "bench",
            "overload",
            "--records",
            str(n),
            "--world",
            str(world),
        ]
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise JiafaError(ErrorCode.INVALID_INPUT, f"基准测试子进程失败：{done.stderr.strip()[-2000:]}")
        figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return figures
    finally:
        shutil.rmtree(world, ignore_errors=True)


def _measure(world: Path, n: int) -> dict[str, Any]:
    """The child: refuses to run anywhere but in the throw-away world it was given."""
    from django.db import connection

    from jiafa.overload import pipeline

    database = Path(str(connection.settings_dict["NAME"])).resolve()
    if Path(settings.DATA_DIR).resolve() != (world / "data").resolve() or database.parent != world.resolve():
        raise JiafaError(ErrorCode.INVALID_INPUT, "--world 只供基准测试内部使用")
    source = world / "records.parquet"
    call_command("migrate", verbosity=0)
    _stations(n)
    _clear_peak_rss()
    start = time.perf_counter()
    batch = pipeline.ingest_path(source)
    ingest_s = time.perf_counter() - start
    result = pipeline.detect()
    seconds = time.perf_counter() - start
    peak = _peak_rss_mb()
    start = time.perf_counter()
    scanned = pl.read_parquet(source).height
    scan_s = time.perf_counter() - start
    assert scanned == n == batch.records
    return {
        "records": n,
        "seconds": round(seconds, 3),
        "records_per_s": round(n / seconds),
        "scan_only_records_per_s": round(n / scan_s),
        "ratio_to_scan_only": round(scan_s / seconds, 3),
        "ingest_seconds": round(ingest_s, 3),
        "detect_seconds": round(seconds - ingest_s, 3),
        "peak_rss_mb": peak,
        "accepted": batch.accepted,
        "rejected": sum(batch.rejected.values()),
        "violations": result.violations,
        "findings": result.findings_created,
    }


def _clear_peak_rss() -> None:
    """Linux: restart the high-water mark, so that the peak is the pipeline's, not the migration's."""
    with contextlib.suppress(OSError):
        Path(f"/proc/{os.getpid()}/clear_refs").write_text("5")


def _peak_rss_mb() -> int:
    try:
        for line in Path(f"/proc/{os.getpid()}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


# ── The throw-away world ─────────────────────────────────────────────────────────────────────────────


def station_codes() -> list[str]:
    return [f"BENCH-{k:02d}" for k in range(1, STATIONS + 1)]


def days_of(n: int) -> int:
    return max(1, math.ceil(n / RECORDS_PER_DAY))


def _stations(n: int) -> None:
    from jiafa.core.models import OrgUnit
    from jiafa.overload.models import Calibration, WimStation

    unit = OrgUnit(code="BENCH", name="基准测试交通运输局", short_name="基准", kind=OrgUnit.Kind.BUREAU)
    unit.save()
    for k, code in enumerate(station_codes()):
        station = WimStation.objects.create(
            code=code,
            name=f"基准检测点{k + 1}",
            org_unit=unit,
            road="G60",
            direction="上行" if k % 2 else "下行",
            lat=30.5 + k / 100,
            lon=120.7 + k / 100,
        )
        Calibration.objects.create(
            station=station,
            certificate_no=f"JD-BENCH-{k + 1:03d}",
            issued_by="基准计量检定机构",
            valid_from=START - timedelta(days=180),
            valid_to=START + timedelta(days=days_of(n) + 180),
        )


# ── The records ──────────────────────────────────────────────────────────────────────────────────────

# Goods vehicles at a Chinese weigh-in-motion station, by axles (per mille of vehicles), with each class's
# share of combinations, axle-load split and typical spacings (mm).
CLASSES = [
    # (up to per mille, axles, combination share %, load shares, spacings)
    (420, 2, 0, (0.36, 0.64), (4500,)),
    (500, 3, 15, (0.26, 0.37, 0.37), (4800, 1350)),
    (580, 4, 25, (0.16, 0.16, 0.34, 0.34), (1900, 4500, 1350)),
    (640, 5, 100, (0.15, 0.22, 0.21, 0.21, 0.21), (3300, 1300, 6500, 1310)),
    (1000, 6, 100, (0.12, 0.18, 0.18, 0.173, 0.173, 0.174), (3200, 1350, 7000, 1310, 1310)),
]
OVERLOADERS = 40  # per mille of vehicles that run overloaded on every pass (hence about 4% of records)
INVALID = 100  # per ten thousand records: about 1% invalid, spread over the reasons below
PROVINCES = "浙浙浙浙苏沪皖赣"
LETTERS = "ABCDEFGHJKLM"


def generate(n: int, seed: int = 1) -> pl.DataFrame:
    """N weighing records in time order: trips of two passes at neighbouring stations; vehicle classes in
    realistic proportions; about 4% of vehicles overloaded on every pass, by up to 170% (most by a little,
    so that about half stay within the weighing tolerance); a few 100-tonne trucks; about 1% invalid."""

    def h(key: str, salt: int) -> pl.Expr:
        return c(key).hash(seed * 1000 + salt)

    def uniform(key: str, salt: int) -> pl.Expr:
        return (h(key, salt) % 1_000_000).cast(pl.Float64) / 1_000_000

    vehicles = max(1000, n // 6)
    span_s = days_of(n) * 86400
    start = datetime.combine(START, datetime.min.time(), tzinfo=UTC) - records.CST
    codes = station_codes()
    limits = _limits()
    frame = (
        pl.LazyFrame()
        .select(i=pl.int_range(0, n, dtype=pl.Int64))
        .with_columns(trip=c("i") // 2, leg=c("i") % 2)
        .with_columns(
            vehicle=(h("trip", 1) % vehicles).cast(pl.Int64),
            trip_start=(h("trip", 2) % span_s).cast(pl.Int64),
            trip_gap=(1200 + h("trip", 3) % 4200).cast(pl.Int64),
            first_station=(h("trip", 4) % STATIONS).cast(pl.Int64),
            invalid=(h("i", 5) % 10000).cast(pl.Int64),
        )
        .with_columns(
            kind=(h("vehicle", 6) % 1000).cast(pl.Int64),
            overloader=(h("vehicle", 7) % 1000) < OVERLOADERS,
            hundred_tonne=(h("vehicle", 8) % 200_000) == 0,
            rate=0.01 + 1.69 * uniform("vehicle", 9) ** 5,
            load=0.35 + 0.63 * uniform("i", 10),
            station_no=(c("first_station") + c("leg")) % STATIONS,
        )
        .with_columns(
            axles=_by_class([pl.lit(axles) for _, axles, _, _, _ in CLASSES]).cast(pl.Int16),
            combination=_by_class([(h("vehicle", 11) % 100) < share for _, _, share, _, _ in CLASSES]),
            single_drive_axle=(c("kind") >= 640) & ((h("vehicle", 12) % 10) == 0),
        )
        .join(limits.lazy(), on=["axles", "combination", "single_drive_axle"], how="left")
        .with_columns(
            gross_kg=pl.when(c("hundred_tonne"))
            .then(100_000 + h("i", 13) % 10_000)
            .when(c("overloader"))
            .then(c("limit_kg") * (1 + c("rate")) * (0.99 + 0.02 * uniform("i", 14)))
            .otherwise(c("limit_kg") * c("load"))
            .cast(pl.Int32)
        )
        .with_columns(
            axles=pl.when(c("hundred_tonne")).then(6).otherwise(c("axles")).cast(pl.Int16),
            combination=pl.when(c("hundred_tonne")).then(True).otherwise(c("combination")),
        )
    )
    frame = frame.with_columns(
        record_id=pl.format("{}-{}", pl.lit("W"), c("i").cast(pl.String).str.zfill(10)),
        station_id=c("station_no").replace_strict(dict(enumerate(codes)), return_dtype=pl.String),
        lane=(1 + h("i", 15) % 3).cast(pl.Int16),
        passed_at=(
            pl.lit(start) + pl.duration(seconds=c("trip_start") + c("leg") * c("trip_gap"))
        ).dt.cast_time_unit("us"),
        plate=pl.concat_str(
            (c("vehicle") // 1_200_000 % len(PROVINCES)).replace_strict(
                dict(enumerate(PROVINCES)), return_dtype=pl.String
            ),
            (c("vehicle") // 100_000 % len(LETTERS)).replace_strict(
                dict(enumerate(LETTERS)), return_dtype=pl.String
            ),
            (c("vehicle") % 100_000).cast(pl.String).str.zfill(5),
        ),
        plate_color=pl.when((c("axles") == 2) & (h("vehicle", 16) % 10 < 3))
        .then(pl.lit("蓝"))
        .otherwise(pl.lit("黄")),
        plate_confidence=0.85 + (h("i", 17) % 15).cast(pl.Float64) / 100,
        combination=pl.when(h("i", 18) % 10 == 0).then(None).otherwise(c("combination")),
        axle_loads_kg=_axle_loads(),
        axle_spacings_mm=_spacings().list.eval(pl.element() + pl.element() // 50),
        speed_kmh=(30 + h("i", 19) % 60).cast(pl.Float64) + 0.5,
        length_mm=(8000 + c("axles").cast(pl.Int32) * 1500).cast(pl.Int32),
        width_mm=pl.lit(2500, pl.Int32),
        height_mm=(3600 + h("i", 20) % 400).cast(pl.Int32),
        photo_front=_sha_like("i", seed, 21),
        photo_side=_sha_like("i", seed, 22),
        photo_rear=_sha_like("i", seed, 23),
        video=pl.when(h("i", 24) % 10 < 3).then(_sha_like("i", seed, 25)),
    )
    return _spoil(frame).select(*records.COLUMNS).sort("passed_at").collect()


def _limits() -> pl.DataFrame:
    """The Art. 3 limit of each class, from the rulebook, to load the generated vehicles against."""
    classes = records.rule_tables(rulebook(), [START]).classes
    return classes.select(
        "axles",
        c("judged_combination").alias("combination"),
        c("judged_single_drive").alias("single_drive_axle"),
        "limit_kg",
    )


def _by_class(values: list[pl.Expr]) -> pl.Expr:
    chain: Any = pl.when(c("kind") < CLASSES[0][0]).then(values[0])
    for (upper, *_), value in zip(CLASSES[1:], values[1:], strict=True):
        chain = chain.when(c("kind") < upper).then(value)
    return chain.otherwise(values[-1])


def _axle_loads() -> pl.Expr:
    """The gross split over the axles in the class's shares; the last axle takes the rest, so the loads add
    up to the gross exactly (100-tonne trucks use the six-axle split)."""
    lists = []
    for _, _, _, shares, _ in CLASSES:
        front = [(c("gross_kg") * share).cast(pl.Int32) for share in shares[:-1]]
        lists.append(pl.concat_list(*front, (c("gross_kg") - pl.sum_horizontal(front)).cast(pl.Int32)))
    return pl.when(c("hundred_tonne")).then(lists[-1]).otherwise(_by_class(lists))


def _spacings() -> pl.Expr:
    lists = [pl.lit(list(spacings), dtype=records.INTS) for _, _, _, _, spacings in CLASSES]
    return pl.when(c("hundred_tonne")).then(lists[-1]).otherwise(_by_class(lists))


def _sha_like(key: str, seed: int, salt: int) -> pl.Expr:
    """64 hexadecimal digits, different for every record (decimal digits of three hashes)."""
    parts = [c(key).hash(seed * 1000 + salt * 10 + k).cast(pl.String).str.zfill(20) for k in range(3)]
    return pl.concat_str(
        *parts, (c(key).hash(seed * 1000 + salt * 10 + 3) % 10000).cast(pl.String).str.zfill(4)
    )


def _spoil(frame: pl.LazyFrame) -> pl.LazyFrame:
    """About 1% invalid records, one reason each."""
    bad = c("invalid")
    return frame.with_columns(
        plate=pl.when(bad < 30).then(pl.lit("未识别")).otherwise(c("plate")),
        plate_confidence=pl.when(bad.is_between(30, 49)).then(0.42).otherwise(c("plate_confidence")),
        photo_side=pl.when(bad.is_between(50, 69)).then(None).otherwise(c("photo_side")),
        speed_kmh=pl.when(bad.is_between(70, 79)).then(152.0).otherwise(c("speed_kmh")),
        axle_loads_kg=pl.when(bad.is_between(80, 89))
        .then(c("axle_loads_kg").list.eval(pl.element() * 2))
        .otherwise(c("axle_loads_kg")),
        station_id=pl.when(bad.is_between(90, 94)).then(pl.lit("UNREGISTERED")).otherwise(c("station_id")),
        axle_spacings_mm=pl.when(bad.is_between(95, 99))
        .then(pl.lit([80], dtype=records.INTS))
        .otherwise(c("axle_spacings_mm")),
    )
