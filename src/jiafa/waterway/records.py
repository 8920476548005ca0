"""Reading the files `jiafa waterway ingest` accepts, into the lake's columns. Pure code: bytes in, frames
and counts out. The kind of file is told by its content, not its name:

- NMEA 0183 AIS (`nmea.py`): lines starting with `!` or a tag block `\\`;
- a MarineCadastre-style CSV (header `MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,…`, times in UTC);
- checkpoint camera records (header with `record_id,checkpoint,passed_at,ship_name,confidence`).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import polars as pl

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.waterway import nmea

CHECKPOINT_COLUMNS = ("record_id", "checkpoint", "passed_at", "ship_name", "confidence")
CADASTRE_COLUMNS = ("MMSI", "BaseDateTime", "LAT", "LON")
PASSAGE_SCHEMA = pl.Schema(
    {
        "record_id": pl.String(),
        "checkpoint": pl.String(),
        "time": pl.Datetime("us", "UTC"),
        "ship_name": pl.String(),
        "confidence": pl.Float64(),
        "direction": pl.String(),
        "photo": pl.String(),  # SHA-256 of the photo in the evidence store
    }
)
SHA256 = r"^[0-9a-f]{64}$"


class Kind(StrEnum):
    NMEA = "nmea"
    CADASTRE = "cadastre"
    CHECKPOINT = "checkpoint"


@dataclass
class Parsed:
    kind: Kind
    positions: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=nmea.POSITION_SCHEMA))
    static: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=nmea.STATIC_SCHEMA))
    passages: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=PASSAGE_SCHEMA))
    messages: int = 0  # AIS messages, CSV rows
    rejected: dict[str, int] = field(default_factory=dict)


def parse(data: bytes, name: str, *, default_time: datetime | None = None) -> Parsed:
    """A file's records; a file of no known kind is refused whole (nothing of it is kept)."""
    head = data.lstrip()[:1]
    if head in (b"!", b"\\"):
        decoded = nmea.decode_bytes(data, default_time=default_time)
        return Parsed(
            Kind.NMEA, decoded.positions, decoded.static, messages=decoded.messages, rejected=decoded.rejected
        )
    frame = _csv(data, name)
    if all(c in frame.columns for c in CADASTRE_COLUMNS):
        return _cadastre(frame)
    if all(c in frame.columns for c in CHECKPOINT_COLUMNS):
        return _checkpoint(frame)
    raise JiafaError(
        ErrorCode.INVALID_INPUT,
        f"{name}：无法识别的文件（应为 NMEA AIS 语句、MarineCadastre 格式 CSV 或卡口记录 CSV）",
    )


def _csv(data: bytes, name: str) -> pl.DataFrame:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError as e:
            raise JiafaError(ErrorCode.INVALID_INPUT, f"{name}：文件不是 UTF-8 或 GB18030 编码的文本") from e
    try:
        return pl.read_csv(io.StringIO(text), infer_schema=False, truncate_ragged_lines=False)
    except (pl.exceptions.ComputeError, pl.exceptions.NoDataError) as e:
        raise JiafaError(ErrorCode.INVALID_INPUT, f"{name}：CSV 无法读取（{str(e).splitlines()[0]}）") from e


def _count(rejected: dict[str, int], reason: str, n: int) -> None:
    if n:
        rejected[reason] = rejected.get(reason, 0) + n


def _number(column: str, dtype: pl.DataType) -> pl.Expr:
    return pl.col(column).str.strip_chars().cast(dtype, strict=False)


def _cadastre(frame: pl.DataFrame) -> Parsed:
    """MarineCadastre (NOAA) AIS points: one row per position, with the vessel's name and type repeated."""
    for optional in ("SOG", "COG", "Heading", "VesselName", "CallSign", "VesselType", "IMO", "Status"):
        if optional not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(optional))
    rows = frame.select(
        time=pl.col("BaseDateTime")
        .str.strptime(pl.Datetime("us"), "%Y-%m-%dT%H:%M:%S", strict=False)
        .dt.replace_time_zone("UTC"),
        mmsi=_number("MMSI", pl.Int64()),
        msg_type=pl.lit(None, pl.Int8),
        status=_number("Status", pl.Float64()).cast(pl.Int8, strict=False),
        sog_kn=_number("SOG", pl.Float64()),
        cog=_number("COG", pl.Float64()),
        heading=_number("Heading", pl.Float64()).cast(pl.Int16, strict=False),
        lat=_number("LAT", pl.Float64()),
        lon=_number("LON", pl.Float64()),
        second=pl.lit(None, pl.Int8),
        name=pl.col("VesselName").str.strip_chars(),
        callsign=pl.col("CallSign").str.strip_chars(),
        ship_type=_number("VesselType", pl.Float64()).cast(pl.Int16, strict=False),
        imo=pl.col("IMO").str.strip_prefix("IMO").str.strip_chars().cast(pl.Int64, strict=False),
    )
    readable = (
        pl.col("time").is_not_null()
        & pl.col("mmsi").is_between(1, 999_999_999)
        & pl.col("lat").is_between(-90, 90)
        & pl.col("lon").is_between(-180, 180)
    )
    good = rows.filter(readable)
    parsed = Parsed(Kind.CADASTRE, messages=frame.height)
    _count(parsed.rejected, "malformed", rows.height - good.height)
    parsed.positions = good.select(nmea.POSITION_SCHEMA.names()).cast(nmea.POSITION_SCHEMA)
    named = good.filter(pl.col("name").is_not_null() & (pl.col("name") != ""))
    # The name, call sign and type repeat on every row: one static report per vessel and name in the file.
    parsed.static = (
        named.sort("time")
        .unique(["mmsi", "name", "callsign", "ship_type"], keep="first", maintain_order=True)
        .select(
            pl.col(c) if c in named.columns else pl.lit(None).alias(c) for c in nmea.STATIC_SCHEMA.names()
        )
        .cast(nmea.STATIC_SCHEMA)
    )
    return parsed


def _checkpoint(frame: pl.DataFrame) -> Parsed:
    """Camera records of a checkpoint (卡口): time with a UTC offset, OCR'd ship name and its confidence."""
    for optional in ("direction", "photo"):
        if optional not in frame.columns:
            frame = frame.with_columns(pl.lit(None, pl.String).alias(optional))
    rows = frame.select(
        record_id=pl.col("record_id").str.strip_chars(),
        checkpoint=pl.col("checkpoint").str.strip_chars(),
        time=pl.col("passed_at")
        .str.strip_chars()
        .str.to_datetime("%Y-%m-%dT%H:%M:%S%#z", time_unit="us", time_zone="UTC", strict=False),
        ship_name=pl.col("ship_name").str.strip_chars(),
        confidence=_number("confidence", pl.Float64()),
        direction=pl.col("direction").str.strip_chars(),
        photo=pl.col("photo").str.strip_chars().str.to_lowercase(),
    )
    readable = (
        pl.col("record_id").str.len_chars().is_between(1, 64)
        & (pl.col("checkpoint").str.len_chars() > 0)
        & pl.col("time").is_not_null()
        & pl.col("confidence").is_between(0, 1)
        & (pl.col("photo").is_null() | pl.col("photo").str.contains(SHA256))
    ).fill_null(False)
    good = rows.filter(readable)
    parsed = Parsed(Kind.CHECKPOINT, messages=frame.height, passages=good.cast(PASSAGE_SCHEMA))
    _count(parsed.rejected, "malformed", rows.height - good.height)
    return parsed
