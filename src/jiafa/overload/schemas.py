"""Wire formats of /api/v1/overload: the one-vehicle assessment, the stations' record push, findings and
their review, and the non-site bulk filing."""

from __future__ import annotations

import json
from datetime import date, datetime
from itertools import chain, repeat
from typing import Any

import polars as pl
from ninja import Field, Schema

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law.overload import Measurement, Outcome
from jiafa.overload import records


class AssessIn(Schema):
    axles: int
    combination: bool = False  # 汽车列车
    single_drive_axle: bool = False  # 牵引车驱动轴为单轴
    gross_kg: int  # 车货总质量
    measurement: Measurement = Measurement.STATIC
    measured_on: date | None = None  # 称重日期; today (Asia/Shanghai) when absent


class BasisOut(Schema):
    law: str
    article: str


class AssessmentOut(Schema):
    limit_kg: int
    overload_kg: int
    overload_rate: float  # a fraction: 0.171 = 17.1%
    is_overload: bool
    outcome: Outcome
    fine_yuan: int
    basis: list[BasisOut]
    gross_kg: int
    measurement: Measurement
    measured_on: date
    tolerance_kg: int
    judged_kg: int
    hundred_tonne: bool
    serious: bool
    explanation: str


# ── The stations' push (POST /overload/records) ────────────────────────────────────────────────────────

MAX_RECORDS = 5000  # per request: about 4 MB of JSON, well under the request size limit

_INT, _FLOAT, _STR, _BOOL, _INTS = "整数", "数值", "字符串", "true/false", "整数数组"


def _kind(dtype: pl.DataType) -> str:
    """The JSON a field of this column type must hold (passed_at is ISO 8601 text)."""
    if isinstance(dtype, pl.List):
        return _INTS
    if dtype.is_integer():
        return _INT
    if dtype.is_float():
        return _FLOAT
    return _BOOL if dtype == pl.Boolean() else _STR


# The record format is the pipeline's (records.COLUMNS): its fields, and for each the JSON kind it takes.
RECORD_FIELDS: dict[str, str] = {name: _kind(dtype) for name, dtype in records.COLUMNS.items()}
_NONE = type(None)
# The Python types json.loads gives for each kind (bool is not int here: True is no axle count).
_TYPES: dict[str, frozenset[type]] = {
    _INT: frozenset({int, _NONE}),
    _FLOAT: frozenset({int, float, _NONE}),
    _STR: frozenset({str, _NONE}),
    _BOOL: frozenset({bool, _NONE}),
    _INTS: frozenset({list, _NONE}),
}


def _well_typed(kind: str, column: list[Any]) -> bool:
    """Whether every value of a column has its kind's type: set(map(type, …)) runs in C, which is what keeps
    checking 100,000 values per batch cheap."""
    if not set(map(type, column)) <= _TYPES[kind]:
        return False
    return kind != _INTS or set(map(type, chain.from_iterable(v for v in column if v))) <= {int}


def _first_ill_typed(kind: str, column: list[Any]) -> int:
    return next(i for i, v in enumerate(column) if not _well_typed(kind, [v]))


def _refuse(message: str) -> JiafaError:
    return JiafaError(ErrorCode.INVALID_INPUT, message)


def _records(body: bytes) -> list[dict[str, Any]]:
    """The envelope {"records": [{...}, ...]}: a JSON object holding a non-empty list of at most
    MAX_RECORDS objects."""
    try:
        envelope = json.loads(body)
    except (ValueError, UnicodeDecodeError) as e:
        raise _refuse("请求体不是有效的 JSON") from e
    found = envelope.get("records") if isinstance(envelope, dict) else None
    if not isinstance(found, list):
        raise _refuse('请求体应为 {"records": [记录, ...]}，records 须为数组')
    if not found:
        raise _refuse("records 为空：每批至少一条记录")
    if len(found) > MAX_RECORDS:
        raise _refuse(f"每批最多 {MAX_RECORDS} 条记录，收到 {len(found)} 条，请分批推送")
    if set(map(type, found)) != {dict}:
        i = next(i for i, r in enumerate(found) if type(r) is not dict)
        raise _refuse(f"第 {i + 1} 条记录应为 JSON 对象")
    return found


def records_frame(body: bytes) -> pl.DataFrame:
    """The pushed batch as the pipeline's frame. A value of the wrong JSON type refuses the whole batch
    (422, naming the record and the field). Everything else is the pipeline's judgement, as for a file: a
    record without an id, a time without an offset, a number too large for its column are kept as malformed
    (字段缺失或格式错误) with their reason."""
    found = _records(body)
    series = []
    for name, kind in RECORD_FIELDS.items():
        column = list(map(dict.get, found, repeat(name)))
        if not _well_typed(kind, column):
            i = _first_ill_typed(kind, column)
            record_id = found[i].get("record_id")
            where = f"第 {i + 1} 条记录" + (f"（{record_id}）" if isinstance(record_id, str) else "")
            shown = json.dumps(column[i], ensure_ascii=False)[:40]
            raise _refuse(f"{where}的字段 {name} 应为{kind}，收到 {shown}")
        series.append(_column(name, kind, column))
    return pl.DataFrame(series)


def _column(name: str, kind: str, values: list[Any]) -> pl.Series:
    """A column in the pipeline's exact type, as records.parse would make it from text (strings trimmed,
    blanks absent). Where a value does not fit that type (a time records.parse can't read, a number beyond
    the column's range) the column goes as received, so that records.parse marks exactly those records
    malformed and keeps what the station sent."""
    target = records.COLUMNS[name]
    if kind == _STR:
        stripped = pl.Series(name, values, dtype=pl.String).str.strip_chars()
        text = pl.select(pl.when(stripped.str.len_bytes() > 0).then(stripped)).to_series().alias(name)
        if target == pl.String():
            return text
        typed = text.str.to_datetime("%+", time_unit="us", time_zone="UTC", strict=False)
    elif kind == _INTS:
        text = _int_lists(name, values)
        typed = text.cast(target, strict=False)
        return typed if typed.explode().null_count() == text.explode().null_count() else text
    else:
        text = pl.Series(name, values, dtype=pl.Int64 if kind == _INT else None, strict=False)
        typed = text.cast(target, strict=False)
    return typed if typed.null_count() == text.null_count() else text


def _int_lists(name: str, values: list[list[int] | None]) -> pl.Series:
    """A list column, built from one flat column and each row's slice of it: converting Python lists row by
    row is ten times slower, and this is the hot path of the push."""
    lengths = [len(v) if v else 0 for v in values]
    offsets, total = [], 0
    for length in lengths:
        offsets.append(total)
        total += length
    flat = pl.Series([x for v in values if v for x in v], dtype=pl.Int64)
    rows = pl.DataFrame({"offset": offsets, "length": lengths, "null": [v is None for v in values]})
    sliced = pl.lit(flat.implode()).list.slice(pl.col("offset"), pl.col("length"))
    return rows.select(pl.when(pl.col("null")).then(None).otherwise(sliced).alias(name)).to_series()


def records_openapi() -> dict[str, Any]:
    """The request body for the API docs (the endpoint reads the raw body itself, for speed)."""
    json_types: dict[str, dict[str, Any]] = {
        _INT: {"type": "integer"},
        _FLOAT: {"type": "number"},
        _STR: {"type": "string"},
        _BOOL: {"type": "boolean"},
        _INTS: {"type": "array", "items": {"type": "integer"}},
    }
    fields = {name: dict(json_types[kind]) for name, kind in RECORD_FIELDS.items()}
    fields["passed_at"]["format"] = "date-time"
    record = {"type": "object", "properties": fields}
    envelope = {
        "type": "object",
        "required": ["records"],
        "properties": {"records": {"type": "array", "minItems": 1, "maxItems": MAX_RECORDS, "items": record}},
    }
    return {"requestBody": {"required": True, "content": {"application/json": {"schema": envelope}}}}


class IngestOut(Schema):
    batch: int
    records: int
    accepted: int
    duplicates: int
    rejected: dict[str, int]  # reason → count


# ── Findings (疑似违法线索) and their review (初审) ───────────────────────────────────────────────────


class FindingFilters(Schema):
    status: str | None = None
    station: str | None = None  # station code
    plate: str | None = None
    from_: date | None = Field(None, alias="from")  # passed on or after (Asia/Shanghai)
    to: date | None = None  # passed on or before


class FindingOut(Schema):
    id: int
    rule: str  # the violation code the finding is cased under
    rule_name: str
    status: str
    status_label: str
    version: int
    record_id: str
    record_ids: list[str]
    station: str
    station_name: str
    org_unit: str
    passed_at: datetime
    plate: str
    plate_color: str
    axles: int
    gross_kg: int
    limit_kg: int
    tolerance_kg: int
    overload_kg: int
    overload_rate: float  # a fraction
    outcome: str  # warning / fine
    fine_yuan: int
    hundred_tonne: bool
    serious: bool
    basis: list[BasisOut]
    evidence_sha256: str | None
    reviewed_by: str | None
    reviewed_at: datetime | None
    dismiss_reason: str
    case_id: int | None
    case_number: str | None


class OwnerIn(Schema):
    """The vehicle's owner, for a plate the vehicle register does not hold yet."""

    kind: str = Field(..., description="person 自然人 / organisation 法人或其他组织")
    name: str
    id_no: str = Field(..., description="身份证件号或统一社会信用代码")
    address: str = ""
    phone: str = ""


class ConfirmIn(Schema):
    version: int | None = Field(None, description="页面加载时的线索版本号；他人已处理时返回 409")
    owner: OwnerIn | None = Field(None, description="车辆未在登记库中时补录的所有人信息")


class DismissIn(Schema):
    reason: str
    version: int | None = None


class ConfirmRef(Schema):
    id: int
    version: int | None = None


class DismissRef(Schema):
    id: int
    reason: str
    version: int | None = None


class BulkReviewIn(Schema):
    confirm: list[int | ConfirmRef] = Field(default_factory=list)
    dismiss: list[DismissRef] = Field(default_factory=list)


class BulkReviewOut(Schema):
    confirmed: list[FindingOut]
    dismissed: list[FindingOut]


class FileCasesIn(Schema):
    case_ids: list[int]
    served_on: date  # 告知书送达日期


class FilingResultOut(Schema):
    case_id: int
    ok: bool
    status: str
    number: str  # 案号, once filed
    plate: str
    party_name: str
    notice_id: int | None  # 违法行为通知书
    notice_number: str
    code: str  # on failure
    message: str


class FilingOut(Schema):
    filed: int
    failed: int
    results: list[FilingResultOut]
