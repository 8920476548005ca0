"""Weigh-in-motion records (动态称重记录): their format, parsing, validity checks (有效性审核), the vectorised
overload determination and the trip dedupe. Pure: Polars and the rulebook only, no Django and no clock —
stations, certificates and the time of receipt are arguments.

The determination here is `jiafa.law.overload.assess` written as Polars expressions over whole columns. It
takes every number from the same `AppliedRules.in_force` that `assess` uses, one table row per day and vehicle
class, and applies the same integer arithmetic: the tolerance rounded up, the rate truncated, the serious flag
compared as a fraction. tests/overload/test_records.py checks the two agree field by field on random records.

Decisions:
- A record whose `combination` is absent is judged as a combination from three axles up (the higher limit of
  Art. 3(1)(5)/(6), the party-favourable reading; it makes no difference from five axles); an absent
  `single_drive_axle` is false (49,000 rather than 46,000 kg).
- One reason per rejected record: the first failing check in the order of `Reason`.
- Photo and video references are SHA-256 digests: 64 hexadecimal characters, nothing else (no spaces).
- Days are China Standard Time (UTC+8). China has kept no daylight saving time since 1991, so the fixed offset
  is exact for every record the rules apply to (from 2016) and far cheaper than a time-zone lookup per row.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from functools import cached_property
from pathlib import Path
from typing import Any

import polars as pl

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law.overload import (
    MAX_AXLES,
    MAX_GROSS_KG,
    MIN_AXLES,
    RATE_DECIMALS,
    AppliedRules,
    Measurement,
    Vehicle,
)
from jiafa.law.ruledata import RuleBook, RuleDataError

c = pl.col
UTC_TIME = pl.Datetime("us", "UTC")
INTS = pl.List(pl.Int32)
CST = timedelta(hours=8)  # China Standard Time: the day a record belongs to
LIST_SEPARATOR = ";"
RECORD_ID_MAX = 64  # Finding.record_id
SHA256_BYTES = 32

# The record format (docs/contract.md, "Weigh-in-motion records") and the type each field has once parsed.
COLUMNS: dict[str, pl.DataType] = {
    "record_id": pl.String(),
    "station_id": pl.String(),
    "lane": pl.Int16(),
    "passed_at": UTC_TIME,
    "plate": pl.String(),
    "plate_color": pl.String(),
    "plate_confidence": pl.Float64(),
    "axles": pl.Int16(),
    "combination": pl.Boolean(),
    "single_drive_axle": pl.Boolean(),
    "gross_kg": pl.Int32(),
    "axle_loads_kg": INTS,
    "axle_spacings_mm": INTS,
    "speed_kmh": pl.Float64(),
    "length_mm": pl.Int32(),
    "width_mm": pl.Int32(),
    "height_mm": pl.Int32(),
    "photo_front": pl.String(),
    "photo_side": pl.String(),
    "photo_rear": pl.String(),
    "video": pl.String(),
}
# Columns a file may leave out (a station without the classification, dimensions or video).
OPTIONAL = frozenset(
    {"lane", "combination", "single_drive_axle", "length_mm", "width_mm", "height_mm", "video"}
)
# Without these values a record can't be keyed, placed or weighed: 字段缺失.
ESSENTIAL = ("record_id", "station_id", "passed_at", "axles", "gross_kg", "axle_loads_kg")
# Identities compared with others (the same station, the same plate): spaces around them don't count.
TRIMMED = ("record_id", "station_id", "plate", "plate_color")
PHOTOS = ("photo_front", "photo_side", "photo_rear")
REFERENCES = (*PHOTOS, "video")
# The lake's valid records: the format, evidence references as their 32 bytes, and the batch they came in.
LAKE_COLUMNS: dict[str, pl.DataType] = {
    **{n: pl.Binary() if n in REFERENCES else t for n, t in COLUMNS.items()},
    "batch": pl.Int64(),
}
# The lake's rejected records keep the text as received, with the reason and, when a field could not be
# read, all fields as the station sent them (`raw`, a JSON object).
REJECTED_COLUMNS: dict[str, pl.DataType] = {
    **COLUMNS,
    "batch": pl.Int64(),
    "reject_reason": pl.String(),
    "raw": pl.String(),
}
TRUE_TEXTS = ("true", "1", "yes", "y", "t", "是")
FALSE_TEXTS = ("false", "0", "no", "n", "f", "否")
EXCESS = "_excess"  # text beyond the last column of a CSV line
RAGGED = "_ragged"  # the CSV line has more or fewer fields than the header


class Reason(StrEnum):
    """Why a record is not evidence, in the order the checks apply."""

    MALFORMED = "malformed"
    FUTURE = "future"
    STATION_UNKNOWN = "station_unknown"
    NO_CALIBRATION = "no_calibration"
    NO_RULE = "no_rule"
    SPEED = "speed"
    GROSS = "gross"
    AXLE_COUNT = "axle_count"
    VEHICLE_CLASS = "vehicle_class"
    AXLE_SPACING = "axle_spacing"
    AXLE_LOADS = "axle_loads"
    PLATE = "plate"
    EVIDENCE = "evidence"

    @property
    def label(self) -> str:
        return REASON_LABELS[self]


REASON_LABELS = {
    Reason.MALFORMED: "字段缺失或格式错误",
    Reason.FUTURE: "通过时间晚于接收时间",
    Reason.STATION_UNKNOWN: "站点编号未登记",
    Reason.NO_CALIBRATION: "站点当日无有效检定证书",
    Reason.NO_RULE: "通过当日没有生效的认定规则",
    Reason.SPEED: "车速缺失或超出检定速度范围",
    Reason.GROSS: "车货总质量不在可信范围",
    Reason.AXLE_COUNT: "轴数不合理或与轴重个数不符",
    Reason.VEHICLE_CLASS: "车型与轴数不符（汽车列车、牵引车单驱动轴）",
    Reason.AXLE_SPACING: "轴距个数或数值不合理",
    Reason.AXLE_LOADS: "轴重之和与车货总质量不符或轴重不为正数",
    Reason.PLATE: "车牌或号牌颜色未识别、识别置信度不足",
    Reason.EVIDENCE: "缺少车头、侧面或车尾照片，或证据引用不是 SHA-256",
}


def _refuse(message: str) -> JiafaError:
    return JiafaError(ErrorCode.INVALID_INPUT, message)


# ── Reading and parsing ──────────────────────────────────────────────────────────────────────────────


def read(path: Path) -> pl.DataFrame:
    """A station's file, CSV or Parquet (told apart by content, not by name), as the parsed frame."""
    _, chunks = read_chunks(path, None)
    return pl.concat(list(chunks)) if chunks else parse(pl.DataFrame(schema=COLUMNS))


def read_chunks(
    path: Path, chunk_rows: int | None
) -> tuple[int, list[pl.DataFrame] | Iterator[pl.DataFrame]]:
    """A station's file as parsed chunks of at most `chunk_rows` records (all at once for None), and how
    many records it holds. The file's form is checked before this returns: its kind, columns, encoding and
    (Parquet) footer, or (CSV) every line. A Parquet file damaged in the middle fails when that chunk is
    read, with the record it starts at."""
    try:
        with path.open("rb") as f:
            magic = f.read(4)
    except OSError as e:
        raise _refuse(f"无法读取文件 {path.name}：{e.strerror or e}") from e
    if magic != b"PAR1":
        frame = parse(_read_csv(path))
        step = chunk_rows or max(frame.height, 1)
        return frame.height, [frame.slice(o, step) for o in range(0, frame.height, step)]
    try:
        wanted = [n for n in pl.read_parquet_schema(path) if n in COLUMNS]
        rows = int(pl.scan_parquet(path).select(pl.len()).collect().item())
    except (pl.exceptions.PolarsError, OSError) as e:
        raise _refuse(f"Parquet 文件 {path.name} 无法读取（文件损坏或不完整）：{str(e)[:200]}") from e
    _require_columns(wanted)
    return rows, _parquet_chunks(path, wanted, rows, chunk_rows or max(rows, 1))


def _parquet_chunks(path: Path, columns: list[str], rows: int, step: int) -> Iterator[pl.DataFrame]:
    for offset in range(0, rows, step):
        try:
            chunk = pl.scan_parquet(path).select(columns).slice(offset, step).collect()
        except (pl.exceptions.PolarsError, OSError) as e:
            where = f"第 {offset + 1} 条记录起" if offset else ""
            raise _refuse(
                f"Parquet 文件 {path.name} {where}无法读取（文件损坏或不完整）：{str(e)[:200]}"
            ) from e
        yield parse(chunk)


def _require_columns(present: Iterable[str]) -> None:
    missing = [n for n in COLUMNS if n not in set(present) and n not in OPTIONAL]
    if missing:
        raise _refuse(f"缺少必需的列：{'、'.join(missing)}")


def _read_csv(path: Path) -> pl.DataFrame:
    try:
        data = path.read_bytes()
    except OSError as e:
        raise _refuse(f"无法读取文件 {path.name}：{e.strerror or e}") from e
    text = _utf8(data, path.name)
    try:
        header = pl.read_csv(text, n_rows=0, infer_schema=False).columns
    except pl.exceptions.NoDataError as e:
        raise _refuse(f"CSV 文件 {path.name} 是空的") from e
    except pl.exceptions.PolarsError as e:
        raise _refuse(f"CSV 文件 {path.name} 的表头无法解析：{str(e)[:200]}") from e
    names = [h.strip() for h in header]
    if len(set(names)) != len(names):
        raise _refuse(f"CSV 文件 {path.name} 的表头有重复的列名")
    # One spare column keeps the text of lines with more fields than the header for `raw`.
    schema = dict.fromkeys([*names, EXCESS], pl.String())
    try:
        frame = pl.read_csv(
            text,
            has_header=False,
            skip_rows=1,
            schema=schema,
            truncate_ragged_lines=True,
            missing_columns="insert",
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError as e:
        raise _refuse(f"CSV 文件 {path.name} 无法解析：{str(e)[:200]}") from e
    fields = _fields_per_line(text, frame.height)
    if fields is None:
        raise _refuse(f"CSV 文件 {path.name} 无法解析：引号不配对")
    # A line with more or fewer fields than the header is a malformed record; a blank line is none.
    frame = frame.with_columns(fields.ne(len(names)).alias(RAGGED)).filter(fields > 0)
    return frame.select([n for n in frame.columns if n in COLUMNS or n in (EXCESS, RAGGED)])


def _fields_per_line(text: bytes, rows: int) -> pl.Series | None:
    """The number of fields on each line after the header (0 for a blank one), aligned with the rows Polars
    parsed; None if the two disagree. Without quotes a line is a record and its commas count; with quotes,
    Python's csv module counts (slower, and only then)."""
    if b'"' not in text:
        lines = pl.read_csv(
            text,
            has_header=False,
            skip_rows=1,
            separator="\x1f",
            quote_char=None,
            schema={"line": pl.String()},
            raise_if_empty=False,
        )["line"]
        commas = lines.str.strip_chars("\r").str.count_matches(",", literal=True)
        blank = lines.str.strip_chars().fill_null("") == ""
        fields = pl.select(pl.when(blank).then(0).otherwise(commas + 1).alias("fields")).to_series()
    else:
        reader = csv.reader(io.StringIO(text.decode("utf-8"), newline=""))
        next(reader, None)
        fields = pl.Series("fields", [len(r) for r in reader])
    return fields if fields.len() == rows else None


def _utf8(data: bytes, name: str) -> bytes:
    """UTF-8 as it is; GB18030 (which includes GBK, what spreadsheet software on Chinese Windows saves)
    converted. Anything else is refused rather than read as garbage."""
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030").encode("utf-8")
    except UnicodeDecodeError as e:
        raise _refuse(f"CSV 文件 {name} 的编码无法识别，请保存为 UTF-8") from e


def parse(frame: pl.DataFrame) -> pl.DataFrame:
    """Any frame of the record fields — text from a CSV file, typed columns from Parquet or the stations'
    push — as the typed frame (`COLUMNS`, plus `raw`). A value that can't be read becomes null and the
    record is marked malformed: `raw` then holds all its fields as received (a JSON object). A column the
    format needs is refused for the whole frame; a frame already parsed comes back unchanged."""
    _require_columns(frame.columns)
    converted: dict[str, pl.Expr] = {}
    failed: list[pl.Expr] = []
    for name, dtype in COLUMNS.items():
        if name not in frame.columns:
            converted[name] = pl.lit(None, dtype)
        elif frame.schema[name] == dtype == pl.String() and name in TRIMMED:
            converted[name] = _trimmed(c(name))
        elif frame.schema[name] != dtype:
            converted[name] = _convert(name, frame.schema[name], dtype)
            failed.append(c(name).is_not_null() & c(f"__{name}").is_null())
            if isinstance(dtype, pl.List):
                failed.append(c(f"__{name}").list.eval(pl.element().is_null()).list.any().fill_null(False))
    lf = frame.lazy().with_columns([e.alias(f"__{n}") for n, e in converted.items()])
    if RAGGED in frame.columns:
        failed.append(c(RAGGED))
    typed = lf.select(
        *[c(f"__{n}" if n in converted else n).alias(n) for n in COLUMNS],
        pl.any_horizontal(failed).alias("_failed") if failed else pl.lit(False).alias("_failed"),
    ).collect()
    bad = typed["_failed"] | (typed["record_id"].str.len_chars() > RECORD_ID_MAX).fill_null(False)
    raw = _raw(frame, bad)
    if "raw" in frame.columns:  # parsed before: keep what the first parse saw
        raw = frame["raw"].cast(pl.String).fill_null(raw)
    return _with_ids(typed.drop("_failed").with_columns(raw.alias("raw")))


def _trimmed(text: pl.Expr) -> pl.Expr:
    """Without surrounding spaces; nothing left is no value."""
    stripped = text.str.strip_chars()
    return pl.when(stripped.str.len_bytes() > 0).then(stripped)


def _convert(name: str, source: pl.DataType, target: pl.DataType) -> pl.Expr:
    col = c(name)
    if source == pl.Null():
        return pl.lit(None, target)
    if source == pl.String():
        text = col.str.strip_chars()
        if target == pl.String():
            return _trimmed(col)
        if target == UTC_TIME:  # ISO 8601 with an offset (T or a space; Z, +08:00 or +0800)
            return text.str.to_datetime("%+", time_zone="UTC", time_unit="us", strict=False)
        if target == pl.Boolean():
            lower = text.str.to_lowercase()
            return pl.when(lower.is_in(TRUE_TEXTS)).then(True).when(lower.is_in(FALSE_TEXTS)).then(False)
        if isinstance(target, pl.List):
            items = text.str.split(LIST_SEPARATOR)
            return items.list.eval(pl.element().str.strip_chars().str.to_integer(strict=False)).cast(
                target, strict=False
            )
        if target.is_integer():
            return text.str.to_integer(strict=False).cast(target, strict=False)
        return text.cast(target, strict=False)
    if target == UTC_TIME:
        if not isinstance(source, pl.Datetime) or source.time_zone is None:
            raise _refuse(f"passed_at 应为带时区的时间戳或带偏移的 ISO 8601 文本，收到 {source}")
        return col.dt.convert_time_zone("UTC").dt.cast_time_unit("us")
    if isinstance(target, pl.List) and not isinstance(source, pl.List):
        raise _refuse(f"{name} 应为整数列表（CSV 中以 {LIST_SEPARATOR} 分隔），收到 {source}")
    try:
        return col.cast(target, strict=False)
    except pl.exceptions.PolarsError as e:  # pragma: no cover - Polars refuses only at collect time
        raise _refuse(f"{name} 的类型 {source} 无法识别") from e


def _raw(frame: pl.DataFrame, bad: pl.Series) -> pl.Series:
    """All fields of each malformed record as received, as a JSON object; null for the others. Encoded for
    the malformed rows only: they are few, the others many."""
    raw = pl.Series("raw", [None] * frame.height, dtype=pl.String)
    if not bad.any():
        return raw
    fields = [n for n in frame.columns if n in COLUMNS or n == EXCESS]
    rows = frame.filter(bad).select(pl.struct(fields).struct.json_encode()).to_series()
    return raw.scatter(bad.arg_true(), rows)


def _with_ids(frame: pl.DataFrame) -> pl.DataFrame:
    """A record without an id still has to be kept and found again when sent twice: it is keyed by its
    content (`无编号-` and 24 hex digits of the SHA-256 of its fields). Such records are malformed anyway."""
    absent = frame["record_id"].is_null()
    if not absent.any():
        return frame
    rows = frame.filter(absent).drop("raw").select(pl.struct(pl.all()).struct.json_encode()).to_series()
    keys = pl.Series([f"无编号-{hashlib.sha256(r.encode()).hexdigest()[:24]}" for r in rows])
    raw = frame["raw"].scatter(absent.arg_true(), frame.filter(absent)["raw"].fill_null(rows))
    return frame.with_columns(frame["record_id"].scatter(absent.arg_true(), keys), raw)


# ── Rules as tables ──────────────────────────────────────────────────────────────────────────────────


DAY_SCHEMA: dict[str, pl.DataType] = {
    "day": pl.Date(),
    "rules_in_force": pl.Boolean(),
    "axle_sum_num": pl.Int64(),
    "axle_sum_den": pl.Int64(),
    "min_axles": pl.Int16(),
    "max_axles": pl.Int16(),
    "spacing_min_mm": pl.Int32(),
    "spacing_max_mm": pl.Int32(),
    "confidence_min": pl.Float64(),
    "unreadable_plates": pl.List(pl.String()),
    "future_tolerance_s": pl.Int64(),
    "trip_window_s": pl.Int64(),
}
CLASS_KEY = ("day", "axles", "judged_combination", "judged_single_drive")
CLASS_SCHEMA: dict[str, pl.DataType] = {
    "day": pl.Date(),
    "axles": pl.Int16(),
    "judged_combination": pl.Boolean(),
    "judged_single_drive": pl.Boolean(),
    "limit_kg": pl.Int64(),
    "tolerance_num": pl.Int64(),
    "tolerance_den": pl.Int64(),
    "warning_band_kg": pl.Int64(),
    "step_kg": pl.Int64(),
    "yuan_per_step": pl.Int64(),
    "fine_cap_yuan": pl.Int64(),
    "part_ceil": pl.Boolean(),
    "hundred_tonne_kg": pl.Int64(),
    "serious_num": pl.Int64(),
    "serious_den": pl.Int64(),
}


@dataclass(frozen=True)
class RuleTables:
    """The rules in force on each day of a set of records, as tables: `days` holds the validity settings and
    the trip window (one row per day, in order), `classes` the numbers of the determination (one row per day
    and vehicle class). Records look their rows up by position — a join per record would cost ten times as
    much: `day_index()` finds a record's day, `class_index()` its class within the day."""

    days: pl.DataFrame
    classes: pl.DataFrame

    def per_day(self, name: str) -> pl.Expr:
        """The day's value of a `days` column, for each record (needs `day_index`)."""
        return _gather(self.days[name], c("day_index"))

    def per_class(self, name: str) -> pl.Expr:
        """The class's value of a `classes` column, for each record (needs `class_index`); null for a
        vehicle the law has no limit for (e.g. a two-axle combination)."""
        return _gather(self._dense[name], c("class_index"))

    def day_index(self) -> pl.Expr:
        found = pl.lit(self.days["day"]).search_sorted(c("day")).cast(pl.Int64)
        return pl.when(c("day").is_not_null()).then(found).alias("day_index")

    def class_index(self) -> pl.Expr:
        slot = c("axles").cast(pl.Int64) * 4 + c("judged_combination").cast(pl.Int64) * 2
        slot = slot + c("judged_single_drive").cast(pl.Int64)
        inside = c("axles").is_between(0, MAX_AXLES)
        return pl.when(inside).then(c("day_index") * CLASS_SLOTS + slot).alias("class_index")

    @cached_property
    def _dense(self) -> pl.DataFrame:
        """`classes` with a row for every slot of every day, null where there is no such vehicle."""
        slots = pl.DataFrame(
            {
                "day": [d for d in self.days["day"] for _ in range(CLASS_SLOTS)],
                "axles": [s // 4 for _ in self.days["day"] for s in range(CLASS_SLOTS)],
                "judged_combination": [bool(s & 2) for _ in self.days["day"] for s in range(CLASS_SLOTS)],
                "judged_single_drive": [bool(s & 1) for _ in self.days["day"] for s in range(CLASS_SLOTS)],
            },
            schema={k: CLASS_SCHEMA[k] for k in CLASS_KEY},
        )
        return slots.join(self.classes, on=list(CLASS_KEY), how="left", maintain_order="left")


CLASS_SLOTS = (MAX_AXLES + 1) * 4  # per day: axles × combination × single drive axle


def _gather(values: pl.Series, index: pl.Expr) -> pl.Expr:
    if values.is_empty():  # no day in the table: every record is refused before any value is used
        return pl.lit(None, values.dtype)
    return pl.lit(values).gather(index)


def rule_tables(book: RuleBook, days: Iterable[date]) -> RuleTables:
    day_rows: list[dict[str, Any]] = []
    class_rows: list[dict[str, Any]] = []
    for day in sorted(set(days)):
        settings = _validity(book, day)
        classes = _classes(book, day, settings["min_axles"], settings["max_axles"]) if settings else []
        day_rows.append({"day": day, "rules_in_force": bool(classes), **(settings or {})})
        class_rows += classes
    return RuleTables(
        pl.DataFrame(day_rows, schema=DAY_SCHEMA), pl.DataFrame(class_rows, schema=CLASS_SCHEMA)
    )


def _exact(value: Any) -> Fraction:
    """The rule's number exactly as written (0.05 is 1/20), as law.overload reads it."""
    return Fraction(str(value))


def _validity(book: RuleBook, day: date) -> dict[str, Any] | None:
    try:
        margin = _exact(book.value("wim.validity.axle_sum_margin", on=day))
        axles = book.value("wim.validity.axles", on=day)
        spacing = book.value("wim.validity.axle_spacing_mm", on=day)
        return {
            "axle_sum_num": margin.numerator,
            "axle_sum_den": margin.denominator,
            "min_axles": int(axles["min"]),
            "max_axles": int(axles["max"]),
            "spacing_min_mm": int(spacing["min"]),
            "spacing_max_mm": int(spacing["max"]),
            "confidence_min": float(book.value("wim.validity.plate_confidence_min", on=day)),
            "unreadable_plates": [str(p) for p in book.value("wim.validity.unreadable_plates", on=day)],
            "future_tolerance_s": int(book.value("wim.validity.future_tolerance_s", on=day)),
            "trip_window_s": int(float(book.value("wim.dedupe.trip_window_hours", on=day)) * 3600),
        }
    except RuleDataError:  # not yet in force on that day
        return None


def vehicle_classes(min_axles: int, max_axles: int) -> list[Vehicle]:
    """Every vehicle the determination can judge within the validity settings' axle range."""
    out = []
    for axles in range(max(min_axles, MIN_AXLES), min(max_axles, MAX_AXLES) + 1):
        for combination in (False, True):
            for single_drive in (False, True):
                try:
                    out.append(Vehicle(axles, combination, single_drive))
                except JiafaError:  # e.g. a two-axle combination: no such vehicle
                    continue
    return out


def _classes(book: RuleBook, day: date, min_axles: int, max_axles: int) -> list[dict[str, Any]]:
    rows = []
    for vehicle in vehicle_classes(min_axles, max_axles):
        try:
            rules = AppliedRules.in_force(book, vehicle, Measurement.WIM, day)
        except JiafaError:  # no determination rule in force on that day
            return []
        assert rules.tolerance is not None  # weigh-in-motion always has one
        tolerance = _exact(rules.tolerance.value)
        serious = _exact(rules.serious_rate.value) if rules.serious_rate else None
        rows.append(
            {
                "day": day,
                "axles": vehicle.axles,
                "judged_combination": vehicle.combination,
                "judged_single_drive": vehicle.single_drive_axle,
                "limit_kg": int(rules.limit.value),
                "tolerance_num": tolerance.numerator,
                "tolerance_den": tolerance.denominator,
                "warning_band_kg": int(rules.warning_band.value),
                "step_kg": rules.step_kg,
                "yuan_per_step": rules.yuan_per_step,
                "fine_cap_yuan": int(rules.fine_cap.value),
                "part_ceil": rules.part_step.value == "ceil",
                "hundred_tonne_kg": int(rules.hundred_tonne.value) if rules.hundred_tonne else None,
                "serious_num": serious.numerator if serious else None,
                "serious_den": serious.denominator if serious else None,
            }
        )
    return rows


# ── Validity ─────────────────────────────────────────────────────────────────────────────────────────


def local_day() -> pl.Expr:
    return (c("passed_at") + CST).dt.date().alias("day")


def judged_class() -> list[pl.Expr]:
    """The class the determination judges by (see the module's decisions for absent values)."""
    return [
        c("combination").fill_null(c("axles") >= 3).alias("judged_combination"),
        c("single_drive_axle").fill_null(False).alias("judged_single_drive"),
    ]


STATION_DAY_SCHEMA: dict[str, pl.DataType] = {
    "station_id": pl.String(),
    "day": pl.Date(),
    "speed_min_kmh": pl.Float64(),
    "speed_max_kmh": pl.Float64(),
    "calibration": pl.Int64(),  # the certificate valid that day, or null
}


def validate(
    records: pl.LazyFrame, tables: RuleTables, stations: pl.DataFrame, *, now: datetime
) -> pl.LazyFrame:
    """The parsed records with `day` (China time), `reject_reason` (null for a valid record) and, for the
    lake, the evidence references decoded into their 32 bytes (`ref_*`). `stations` holds every registered
    station on every day of `tables` (`STATION_DAY_SCHEMA`)."""
    codes = stations["station_id"].unique().sort()
    grid = stations.sort("day", "station_id")
    complete = grid.height == codes.len() * tables.days.height
    if grid.height and not (complete and grid["day"].unique(maintain_order=True).equals(tables.days["day"])):
        raise ValueError("stations must hold every station on every day of the rule tables")
    station = c("station_id").cast(pl.Enum(codes), strict=False).to_physical().cast(pl.Int64)
    columns = records.collect_schema().names()
    return (
        records.with_columns(
            local_day(), *judged_class(), *[_digest(n).alias(f"ref_{n}") for n in REFERENCES]
        )
        .with_columns(tables.day_index())
        .with_columns(tables.class_index(), station_day=c("day_index") * codes.len() + station)
        .with_columns(_reason(tables, grid, now).alias("reject_reason"))
        .select(*columns, "day", "reject_reason", *[f"ref_{n}" for n in REFERENCES])
    )


def _digest(name: str) -> pl.Expr:
    """The reference as 32 bytes; null when absent or not a SHA-256 in hexadecimal."""
    decoded = c(name).str.decode("hex", strict=False)
    return pl.when(decoded.bin.size() == SHA256_BYTES).then(decoded)


def _reason(tables: RuleTables, stations: pl.DataFrame, now: datetime) -> pl.Expr:
    def fails(check: pl.Expr) -> pl.Expr:
        return check.fill_null(True)  # a value the check can't read fails it

    def station(name: str) -> pl.Expr:
        return _gather(stations[name], c("station_day"))

    day = tables.per_day
    gross = c("gross_kg").cast(pl.Int64)
    loads, spacings = c("axle_loads_kg"), c("axle_spacings_mm")
    received = pl.lit(now).dt.convert_time_zone("UTC").dt.cast_time_unit("us")
    checks: list[tuple[Reason, pl.Expr]] = [
        (Reason.MALFORMED, c("raw").is_not_null() | pl.any_horizontal([c(n).is_null() for n in ESSENTIAL])),
        (Reason.FUTURE, c("passed_at") > received + pl.duration(seconds=day("future_tolerance_s"))),
        (Reason.STATION_UNKNOWN, c("station_day").is_null()),
        (Reason.NO_CALIBRATION, station("calibration").is_null()),
        (Reason.NO_RULE, ~day("rules_in_force").fill_null(False)),
        (Reason.SPEED, fails(~c("speed_kmh").is_between(station("speed_min_kmh"), station("speed_max_kmh")))),
        (Reason.GROSS, fails(~gross.is_between(1, MAX_GROSS_KG))),
        (
            Reason.AXLE_COUNT,
            fails(
                ~c("axles").is_between(day("min_axles"), day("max_axles")) | (loads.list.len() != c("axles"))
            ),
        ),
        (Reason.VEHICLE_CLASS, tables.per_class("limit_kg").is_null()),
        (
            Reason.AXLE_SPACING,
            fails(
                (spacings.list.len() != c("axles") - 1)
                | (spacings.list.min() < day("spacing_min_mm"))
                | (spacings.list.max() > day("spacing_max_mm"))
            ),
        ),
        (
            Reason.AXLE_LOADS,
            fails(
                (
                    (loads.list.sum().cast(pl.Int64) - gross).abs() * day("axle_sum_den")
                    > gross * day("axle_sum_num")
                )
                | (loads.list.min() <= 0)
            ),
        ),
        (
            Reason.PLATE,
            fails(
                c("plate").is_in(day("unreadable_plates"))
                | c("plate_color").is_null()
                | (c("plate_confidence") < day("confidence_min"))
            ),
        ),
        (
            Reason.EVIDENCE,
            pl.any_horizontal([c(f"ref_{n}").is_null() for n in PHOTOS])
            | ((c("video").str.len_bytes() > 0) & c("ref_video").is_null()).fill_null(False),
        ),
    ]
    (first, first_check), *rest = checks
    reason: Any = pl.when(first_check).then(pl.lit(str(first)))
    for code, check in rest:
        reason = reason.when(check).then(pl.lit(str(code)))
    return reason.otherwise(pl.lit(None, pl.String))


# ── Determination ────────────────────────────────────────────────────────────────────────────────────


def determine(records: pl.LazyFrame, tables: RuleTables) -> pl.LazyFrame:
    """law.overload.assess of each valid record (`day`, `axles`, `combination`, `single_drive_axle`,
    `gross_kg`), as column arithmetic: adds `judged_combination`, `judged_single_drive`, `limit_kg`,
    `tolerance_kg`, `judged_kg`, `overload_kg`, `overload_rate_scaled` (超限率 × 10^RATE_DECIMALS, truncated),
    `outcome` (none / warning / fine), `fine_steps`, `fine_yuan`, `hundred_tonne` and `serious`."""
    rule = tables.per_class
    gross = c("gross_kg").cast(pl.Int64)
    over, limit, step = c("overload_kg"), c("limit_kg"), rule("step_kg")
    fine = c("outcome") == "fine"
    steps = over // step + (rule("part_ceil") & (over % step > 0)).cast(pl.Int64)
    return (
        records.with_columns(*judged_class(), tables.day_index())
        .with_columns(tables.class_index())
        .with_columns(
            limit_kg=rule("limit_kg"),
            tolerance_kg=(gross * rule("tolerance_num") + rule("tolerance_den") - 1) // rule("tolerance_den"),
        )
        .with_columns(judged_kg=gross - c("tolerance_kg"))
        .with_columns(overload_kg=pl.max_horizontal(c("judged_kg") - limit, pl.lit(0, pl.Int64)))
        .with_columns(
            overload_rate_scaled=over * 10**RATE_DECIMALS // limit,
            outcome=pl.when(over == 0)
            .then(pl.lit("none"))
            .when(over <= rule("warning_band_kg"))
            .then(pl.lit("warning"))
            .otherwise(pl.lit("fine")),
            hundred_tonne=(gross >= rule("hundred_tonne_kg")).fill_null(False),
            serious=(over * rule("serious_den") >= rule("serious_num") * limit).fill_null(False),
        )
        .with_columns(
            fine_steps=pl.when(fine).then(steps).otherwise(0),
            fine_yuan=pl.when(fine)
            .then(pl.min_horizontal(steps * rule("yuan_per_step"), rule("fine_cap_yuan")))
            .otherwise(0),
        )
        .drop("day_index", "class_index")
    )


def overload_rate(scaled: pl.Expr) -> pl.Expr:
    """The overload rate as decimal text ("0.2602"), from the integer `determine` scales it to: what a
    DecimalField of RATE_DECIMALS places takes, and reads back as the Decimal law.overload gives."""
    unit = 10**RATE_DECIMALS
    return pl.format("{}.{}", scaled // unit, (scaled % unit).cast(pl.String).str.zfill(RATE_DECIMALS))


# ── One violation per trip ───────────────────────────────────────────────────────────────────────────


def trips(violations: pl.DataFrame) -> pl.DataFrame:
    """Numbers the trips (`trip`): passes of one plate and colour, each within the trip window of the one
    before (`trip_window_s`, that of the later pass's day), are one trip — one violation. Sorted by trip,
    then time."""
    ordered = violations.sort("plate", "plate_color", "passed_at", "record_id")
    same_trip = (
        (c("plate") == c("plate").shift())
        & (c("plate_color") == c("plate_color").shift())
        & (c("passed_at") - c("passed_at").shift() <= pl.duration(seconds=c("trip_window_s")))
    )
    return ordered.with_columns(trip=(~same_trip.fill_null(False)).cast(pl.UInt32).cum_sum())


WORST_FIRST = {
    "overload_kg": True,
    "overload_rate_scaled": True,
    "passed_at": False,
    "record_id": False,
}


def worst_of_trips(numbered: pl.DataFrame) -> pl.DataFrame:
    """One row per trip: its most serious record (most kilograms over, then the highest rate, then the
    earliest), with `trip_record_ids` listing every record of the trip in time order."""
    ids = numbered.group_by("trip", maintain_order=True).agg(trip_record_ids=c("record_id"))
    worst = numbered.sort(["trip", *WORST_FIRST], descending=[False, *WORST_FIRST.values()]).unique(
        "trip", keep="first", maintain_order=True
    )
    return worst.join(ids, on="trip", how="left")
