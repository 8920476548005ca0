"""NMEA 0183 AIS sentences (AIVDM/AIVDO) to positions and static reports, decoded as columns. Pure code.

A receiver's file holds one sentence a line, optionally behind an IEC 61162-450 tag block
(`\\s:41925,c:1635731889*66\\!AIVDM,1,1,,,15Di=4002i<chWiba2`rPpD:04;`,0*37`). The messages that carry a
vessel's position (types 1, 2, 3, 18, 19 and the long-range 27) or its name (5 and 24) are decoded for the
whole file at once: line and field boundaries are located in the file's bytes with NumPy, checksums are
XORed over those bytes, and the six-bit payload armouring becomes a matrix of small integers from which
every field is cut with shifts and masks.
Other types (base stations, aids to navigation, binary messages…) are counted as messages and not stored.
pyais is the reference: the tests check that every message of real receiver files decodes to its values.

Every line that is not an AIS sentence, fails its checksum or lacks a fragment is counted by reason; nothing
raises on bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

import numpy as np
import polars as pl

POSITION_TYPES = (1, 2, 3, 18, 19)
CLASS_B_TYPES = (18, 19)
STATIC_TYPES = (5, 24)
LONG_RANGE_TYPE = 27
# Fewest payload bits a message must carry to be decoded (ITU-R M.1371; a type 24 part A is often sent with
# 160 bits instead of 168, and a type 5 with 420 or 422 instead of 424).
MIN_BITS = {1: 168, 2: 168, 3: 168, 18: 168, 19: 312, 27: 96, 5: 420, 24: 160}
# Position of a vessel without one: longitude 181, latitude 91.
LON_UNAVAILABLE, LAT_UNAVAILABLE = 181.0, 91.0


class Reason(StrEnum):
    """Why a line or message gave no record (the keys of `rejected`)."""

    MALFORMED = "malformed"
    CHECKSUM = "checksum"
    INCOMPLETE = "incomplete"
    SHORT = "short"
    NO_TIME = "no_time"
    NO_POSITION = "no_position"

    @property
    def label(self) -> str:
        return REASON_LABELS[self]


REASON_LABELS = {
    Reason.MALFORMED: "不是 AIS 语句或格式错误",
    Reason.CHECKSUM: "校验和错误",
    Reason.INCOMPLETE: "多段消息缺段",
    Reason.SHORT: "消息长度不足",
    Reason.NO_TIME: "没有接收时间",
    Reason.NO_POSITION: "位置不可用",
}

POSITION_SCHEMA = pl.Schema(
    {
        "time": pl.Datetime("us", "UTC"),
        "mmsi": pl.Int64(),
        "msg_type": pl.Int8(),
        "status": pl.Int8(),  # navigational status (types 1–3), null for class B
        "sog_kn": pl.Float64(),
        "cog": pl.Float64(),
        "heading": pl.Int16(),
        "lat": pl.Float64(),
        "lon": pl.Float64(),
        "second": pl.Int8(),
    }
)
STATIC_SCHEMA = pl.Schema(
    {
        "time": pl.Datetime("us", "UTC"),
        "mmsi": pl.Int64(),
        "msg_type": pl.Int8(),
        "part": pl.Int8(),  # type 24: 0 part A (name), 1 part B (type, call sign, size); type 5: null
        "name": pl.String(),
        "callsign": pl.String(),
        "ship_type": pl.Int16(),
        "imo": pl.Int64(),
        "to_bow": pl.Int16(),
        "to_stern": pl.Int16(),
        "to_port": pl.Int16(),
        "to_starboard": pl.Int16(),
        "draught": pl.Float64(),
        "destination": pl.String(),
    }
)


@dataclass
class Decoded:
    positions: pl.DataFrame
    static: pl.DataFrame
    messages: int = 0  # complete AIS messages with a valid checksum, of any type
    rejected: dict[str, int] = field(default_factory=dict)


def decode_bytes(data: bytes, *, default_time: datetime | None = None) -> Decoded:
    """The AIS of a file's bytes; `default_time` dates messages that carry no tag-block time."""
    rejected: dict[str, int] = {}
    messages, buffer = _messages(data, _sentences(data, rejected), rejected)
    count = messages.height
    if default_time is None:
        _count(rejected, Reason.NO_TIME, messages["time"].null_count())
        messages = messages.filter(pl.col("time").is_not_null())
    else:
        fallback = pl.lit(default_time).dt.convert_time_zone("UTC").dt.cast_time_unit("us")
        messages = messages.with_columns(pl.col("time").fill_null(fallback))
    messages = messages.with_columns(
        msg_type=pl.Series(_SIXBIT[buffer[messages["start"].to_numpy()]], dtype=pl.Int8)
    )
    positions = [
        _positions(buffer, messages.filter(pl.col("msg_type").is_in(POSITION_TYPES)), rejected),
        _long_range(buffer, messages.filter(pl.col("msg_type") == LONG_RANGE_TYPE), rejected),
    ]
    static = _static(buffer, messages.filter(pl.col("msg_type").is_in(STATIC_TYPES)), rejected)
    return Decoded(
        positions=pl.concat(positions),
        static=static,
        messages=count,
        rejected=dict(sorted(rejected.items())),
    )


def _count(rejected: dict[str, int], reason: Reason, n: int) -> None:
    if n:
        rejected[str(reason)] = rejected.get(str(reason), 0) + n


# Six-bit armouring: '0'..'W' are 0..39 and '`'..'w' are 40..63; every other byte is not payload (-1).
_SIXBIT = np.full(256, -1, dtype=np.int64)
_SIXBIT[48:88] = np.arange(0, 40)
_SIXBIT[96:120] = np.arange(40, 64)
_SIXBIT8 = np.maximum(_SIXBIT, 0).astype(np.uint8)
# Bytes that are not armour, by kind: 1 newline, 2 backslash, 3 comma, 4 any other.
_KIND = np.where(_SIXBIT < 0, 4, 0).astype(np.uint8)
_KIND[10], _KIND[92], _KIND[44] = 1, 2, 3
_HEX = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate(b"0123456789ABCDEF"):
    _HEX[_c] = _i
    _HEX[bytes([_c]).lower()[0]] = _i
_UPPER = np.zeros(256, dtype=bool)
_UPPER[65:91] = True
BANG, STAR, BACKSLASH = 33, 42, 92


def _sentences(data: bytes, rejected: dict[str, int]) -> pl.DataFrame:
    """One row per well-formed sentence with good checksums, in file order; blank lines are no sentence.

    The file is parsed as one byte array: line ends, backslashes and commas are located once, and each line's
    fields are found by searching those positions from the line's `!`. Checksums come from one running XOR
    over the bytes, differenced at each sentence's ends."""
    buf = np.frombuffer(data + b"\n" + bytes(16), dtype=np.uint8)  # padding: reads past a line stay in bounds
    head = buf[: len(data) + 1]
    not_armour = (head < 48) | ((head >= 88) & (head < 96)) | (head >= 120)  # compares: faster than a table
    special = np.flatnonzero(not_armour)  # the few bytes that are not payload armour: a dozen a line
    kind = _KIND[buf[special]]
    newlines = special[kind == 1]
    starts = np.concatenate(([0], newlines[:-1] + 1)).astype(np.int64)
    ends = newlines.astype(np.int64)
    for _ in range(3):  # \r\n line ends and trailing blanks
        trailing = (ends > starts) & ((buf[ends - 1] == 13) | (buf[ends - 1] == 32))
        ends = ends - trailing
    line = np.flatnonzero(ends > starts)
    starts, ends = starts[line], ends[line]
    ok = np.ones(len(line), dtype=bool)

    tagged = buf[starts] == BACKSLASH
    backslashes = special[kind == 2]
    closing = (
        backslashes[np.minimum(np.searchsorted(backslashes, starts + 1), len(backslashes) - 1)]
        if len(backslashes)
        else starts
    )
    tag_end = np.where(tagged, closing, starts)  # the closing backslash
    ok &= ~tagged | ((tag_end > starts + 3) & (tag_end < ends) & (buf[tag_end - 3] == STAR))
    bang = np.where(tagged, tag_end + 1, starts)
    commas = special[kind == 3]
    first = np.searchsorted(commas, bang)
    c = [commas[np.minimum(first + i, len(commas) - 1)] if len(commas) else bang for i in range(6)]
    ok &= (first + 5 < len(commas)) & (c[5] + 5 == ends)
    ok &= (buf[bang] == BANG) & _UPPER[buf[bang + 1]] & _UPPER[buf[bang + 2]] & (c[0] == bang + 6)
    ok &= (buf[bang + 3] == ord("V")) & (buf[bang + 4] == ord("D")) & np.isin(buf[bang + 5], (77, 79))
    total, num = buf[c[0] + 1].astype(np.int64) - 48, buf[c[1] + 1].astype(np.int64) - 48
    ok &= (c[1] == c[0] + 2) & (c[2] == c[1] + 2) & (total >= 1) & (total <= 9) & (num >= 1) & (num <= total)
    seq_length, channel_length = c[3] - c[2] - 1, c[4] - c[3] - 1
    seq = np.where(seq_length == 1, buf[c[2] + 1].astype(np.int64) - 48, 10)
    ok &= ((seq_length == 0) | ((seq_length == 1) & (seq >= 0) & (seq <= 9))) & (channel_length <= 1)
    channel = np.where(channel_length == 1, buf[c[3] + 1], 0).astype(np.int64)
    payload_start, payload_end = c[4] + 1, c[5]
    ok &= np.searchsorted(special, payload_end) == np.searchsorted(special, payload_start)
    fill = buf[c[5] + 1].astype(np.int64) - 48
    ok &= (fill >= 0) & (fill <= 5) & (buf[c[5] + 2] == STAR)
    stated = _HEX[buf[ends - 2]] * 16 + _HEX[buf[ends - 1]]
    tag_stated = _HEX[buf[tag_end - 2]] * 16 + _HEX[buf[tag_end - 1]]
    ok &= (stated >= 0) & (~tagged | (tag_stated >= 0))
    _count(rejected, Reason.MALFORMED, int((~ok).sum()))

    xor = _RangeXor(buf)
    good = ok & (xor(bang + 1, ends - 3) == stated)
    good &= ~tagged | (xor(starts + 1, tag_end - 3) == tag_stated)
    _count(rejected, Reason.CHECKSUM, int((ok & ~good).sum()))
    separators = special[(kind == 2) | (kind == 3)]
    separators = separators[buf[separators + 2] == ord(":")]  # before a parameter name: `,c:` `\\g:`
    seconds = _tag_number(buf, separators, b"c:", starts, tag_end, tagged)
    group = _tag_number(buf, separators, b"g:", starts, tag_end, tagged, skip=b"d-d-", digits=9)
    # Some receivers stamp milliseconds: no second count reaches 10^11 before the year 5138.
    micros = np.where(seconds >= 10**11, seconds * 1_000, seconds * 1_000_000)
    frame = pl.DataFrame(
        {
            "row": line,
            "total": total,
            "num": num,
            "start": payload_start,
            "length": payload_end - payload_start,
            "fill": fill,
            "time": pl.Series(micros).cast(pl.Datetime("us", "UTC")),
            "has_time": seconds >= 0,
            "key": np.where(group >= 0, (group + 1) << 16, seq * 256 + channel),
        }
    )
    return frame.filter(pl.Series(good)).with_columns(time=pl.when("has_time").then("time")).drop("has_time")


def _tag_number(
    buf: np.ndarray,
    separators: np.ndarray,
    name: bytes,  # with its colon; `separators` are those followed by a one-letter name and a colon
    starts: np.ndarray,
    tag_end: np.ndarray,
    tagged: np.ndarray,
    *,
    skip: bytes = b"",
    digits: int = 13,
) -> np.ndarray:
    """Per line, the number of a tag-block parameter (`c:1635731889`; with `skip` "d-d-", the group id of
    `g:1-2-3454`: d stands for one digit), or -1 where the line has none or it is not a number."""
    found = separators[buf[separators + 1] == name[0]] + 1
    owner = np.searchsorted(starts, found, side="right") - 1
    inside = (owner >= 0) & tagged[np.maximum(owner, 0)] & (found < tag_end[np.maximum(owner, 0)] - 3)
    found, owner = found[inside], owner[inside]
    first = np.flatnonzero(np.diff(owner, prepend=-1) != 0)  # owners ascend: the first mention per line
    owner, position = owner[first], found[first] + 2
    ok = np.ones(len(position), dtype=bool)
    for i, expected in enumerate(skip):
        byte = buf[position + i]
        ok &= (byte - np.uint8(48) < 10) if expected == ord("d") else (byte == expected)
    # The next digits + 1 bytes as a matrix: the number is its leading digits (one more byte than the longest
    # number allowed, so that a longer one is seen and refused).
    window = buf[(position + len(skip))[:, None] + np.arange(digits + 1)[None, :]] - np.uint8(48)
    is_digit = window < 10
    count = np.where(is_digit.all(axis=1), digits + 1, is_digit.argmin(axis=1))
    value = (window.astype(np.int64) * _POWERS[np.minimum(count, digits), : digits + 1]).sum(axis=1)
    result = np.full(len(starts), -1, dtype=np.int64)
    result[owner] = np.where(ok & (count > 0) & (count <= digits), value, -1)
    return result


# Row n: the place values of an n-digit number's digits (10^(n-1) … 1), then zeros.
_POWERS = np.array(
    [[10 ** (n - 1 - j) if j < n else 0 for j in range(14)] for n in range(14)], dtype=np.int64
)


class _RangeXor:
    """The XOR of the bytes of many ranges of one buffer (NMEA checksums), all at once: a running XOR over
    8-byte words, corrected at both ends for the bytes of the partial words."""

    def __init__(self, buf: np.ndarray) -> None:
        padded = np.concatenate((buf, np.zeros(8 - len(buf) % 8, dtype=np.uint8)))
        self.words = padded.view("<u8")
        self.running = np.concatenate((np.zeros(1, np.uint64), np.bitwise_xor.accumulate(self.words)))

    def __call__(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        start, end = np.maximum(start, 0), np.maximum(end, start)
        first, last = start // 8, end // 8
        x = self.running[last] ^ self.running[first]
        x ^= self.words[first] & _LOW_BYTES[start % 8]
        x ^= self.words[last] & _LOW_BYTES[end % 8]
        for shift in (32, 16, 8):
            x ^= x >> np.uint64(shift)
        return (x & np.uint64(0xFF)).astype(np.int64)


# The low n bytes of a little-endian word, for n = 0..7.
_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(8)], dtype=np.uint64)


def _messages(
    data: bytes, sentences: pl.DataFrame, rejected: dict[str, int]
) -> tuple[pl.DataFrame, np.ndarray]:
    """Whole messages as (time, start, length, fill) into a payload buffer: single sentences point into the
    file, fragments are joined in order (by tag-block group, else by sequence id and channel) and appended
    after it. A group that lacks a fragment or has them out of order is `incomplete`."""
    single = sentences.filter(pl.col("total") == 1).select("time", "start", "length", "fill")
    fragments = sentences.filter(pl.col("total") > 1).sort("key", "row", maintain_order=True)
    payloads = [data[s : s + n].decode("ascii") for s, n in fragments.select("start", "length").iter_rows()]
    fragments = fragments.with_columns(
        payload=pl.Series(payloads, dtype=pl.String),
        group=(pl.col("num") == 1).cast(pl.Int32).cum_sum().over("key"),
    )
    groups = fragments.group_by("key", "group", maintain_order=True).agg(
        pl.col("time").drop_nulls().first(),
        pl.col("payload").str.join(""),
        pl.col("fill").last(),
        fragments=pl.len(),
        complete=(
            (pl.col("group").first() > 0)
            & (pl.len() == pl.col("total").first())
            & (pl.col("total") == pl.col("total").first()).all()
            & (pl.col("num") == pl.int_range(1, pl.len() + 1)).all()
        ),
    )
    _count(rejected, Reason.INCOMPLETE, int(groups.filter(~pl.col("complete"))["fragments"].sum()))
    whole = groups.filter("complete")
    joined = "".join(whole["payload"].to_list()).encode("ascii")
    lengths = whole["payload"].str.len_bytes().cast(pl.Int64)
    whole = whole.select(
        "time", start=len(data) + lengths.cum_sum() - lengths, length=lengths, fill=pl.col("fill")
    )
    buffer = np.frombuffer(data + joined + bytes(80), dtype=np.uint8)  # padding: a short payload reads zeros
    messages = pl.concat([single, whole.cast(single.schema)]).filter(pl.col("length") > 0)
    return messages, buffer


def _sixbits(buffer: np.ndarray, messages: pl.DataFrame, chars: int) -> np.ndarray:
    """An (n, chars) matrix of the payloads' six-bit values, short payloads padded with zero bits."""
    start = messages["start"].to_numpy()
    length = messages["length"].to_numpy()
    columns = np.arange(chars)
    values = _SIXBIT8[buffer[start[:, None] + columns[None, :]]]
    short = np.flatnonzero(length < chars)  # these read past their payload: zero what follows it
    values[short] = np.where(columns[None, :] < length[short, None], values[short], np.uint8(0))
    return values


def _bits(m: np.ndarray, start: int, width: int, *, signed: bool = False) -> np.ndarray:
    """Bits [start, start + width) of every row of a six-bit matrix, as integers (width ≤ 48)."""
    first, last = start // 6, (start + width - 1) // 6
    acc = np.zeros(m.shape[0], dtype=np.int64)
    for c in range(first, last + 1):
        acc = (acc << 6) | m[:, c].astype(np.int64)
    value = (acc >> ((last + 1) * 6 - start - width)) & ((1 << width) - 1)
    if signed:
        value = np.where(value >= 1 << (width - 1), value - (1 << width), value)
    return value


def _text(m: np.ndarray, start: int, chars: int) -> pl.Series:
    """Six-bit text (`@` pads, trailing spaces dropped, as pyais reads it)."""
    codes = np.stack([_bits(m, start + 6 * i, 6) for i in range(chars)], axis=1)
    ascii_codes = np.where(codes < 32, codes + 64, codes).astype(np.uint8)
    texts = np.ascontiguousarray(ascii_codes).view(f"S{chars}").ravel().astype(f"U{chars}")
    return pl.Series(texts, dtype=pl.String).str.strip_chars_end("@ ")


def _degrees(raw: np.ndarray, scale: int = 10) -> np.ndarray:
    """1/10 000 minute (scale 10; 1/10 minute: scale 10 000) to degrees, rounded to 6 decimals exactly as
    pyais does it (round(raw × scale / 6) / 10⁶ in integers)."""
    return ((scale * raw + 3) // 6) / 1e6


def _enough_bits(messages: pl.DataFrame, rejected: dict[str, int]) -> pl.DataFrame:
    bits = messages["length"] * 6 - messages["fill"]
    needed = messages["msg_type"].replace_strict(MIN_BITS, default=0, return_dtype=pl.Int64)
    enough = bits >= needed
    _count(rejected, Reason.SHORT, messages.height - int(enough.sum()))
    return messages.filter(enough)


def _positions(buffer: np.ndarray, messages: pl.DataFrame, rejected: dict[str, int]) -> pl.DataFrame:
    messages = _enough_bits(messages, rejected)
    class_b = messages["msg_type"].is_in(CLASS_B_TYPES)
    return pl.concat(
        [
            _position_fields(buffer, messages.filter(~class_b), 0),
            _position_fields(buffer, messages.filter(class_b), -4),
        ]
    ).pipe(_available, rejected)


def _position_fields(buffer: np.ndarray, messages: pl.DataFrame, shift: int) -> pl.DataFrame:
    """Class A reports (1–3); class B (18, 19) has 8 reserved bits where class A has status and rate of turn,
    then the same fields 4 bits earlier (ITU-R M.1371 tables 46, 66 and 67)."""
    m = _sixbits(buffer, messages, 28)
    return pl.DataFrame(
        {
            "time": messages["time"],
            "mmsi": _bits(m, 8, 30),
            "msg_type": messages["msg_type"],
            "status": _bits(m, 38, 4) if shift == 0 else pl.Series([None] * messages.height, dtype=pl.Int8),
            "sog_kn": _bits(m, 50 + shift, 10) / 10.0,
            "cog": _bits(m, 116 + shift, 12) / 10.0,
            "heading": _bits(m, 128 + shift, 9),
            "lat": _degrees(_bits(m, 89 + shift, 27, signed=True)),
            "lon": _degrees(_bits(m, 61 + shift, 28, signed=True)),
            "second": _bits(m, 137 + shift, 6),
        }
    ).cast(POSITION_SCHEMA)


def _available(frame: pl.DataFrame, rejected: dict[str, int]) -> pl.DataFrame:
    has_position = (frame["lat"].abs() <= 90) & (frame["lon"].abs() <= 180)
    _count(rejected, Reason.NO_POSITION, frame.height - int(has_position.sum()))
    return frame.filter(has_position)


def _long_range(buffer: np.ndarray, messages: pl.DataFrame, rejected: dict[str, int]) -> pl.DataFrame:
    """Type 27, the long-range broadcast: 1/10 minute positions, whole knots and degrees (table 84)."""
    messages = _enough_bits(messages, rejected)
    m = _sixbits(buffer, messages, 16)
    frame = pl.DataFrame(
        {
            "time": messages["time"],
            "mmsi": _bits(m, 8, 30),
            "msg_type": messages["msg_type"],
            "status": _bits(m, 40, 4),
            "sog_kn": _bits(m, 79, 6).astype(np.float64),
            "cog": _bits(m, 85, 9).astype(np.float64),
            "heading": pl.Series([None] * messages.height, dtype=pl.Int16),
            "lat": _degrees(_bits(m, 62, 17, signed=True), 10_000),
            "lon": _degrees(_bits(m, 44, 18, signed=True), 10_000),
            "second": pl.Series([None] * messages.height, dtype=pl.Int8),
        }
    )
    return _available(frame.cast(POSITION_SCHEMA), rejected)


def _static(buffer: np.ndarray, messages: pl.DataFrame, rejected: dict[str, int]) -> pl.DataFrame:
    messages = _enough_bits(messages, rejected)
    type5 = messages.filter(pl.col("msg_type") == 5)
    type24 = messages.filter(pl.col("msg_type") == 24)
    frames = [pl.DataFrame(schema=STATIC_SCHEMA)]
    if type5.height:
        m = _sixbits(buffer, type5, 71)
        frames.append(
            pl.DataFrame(
                {
                    "time": type5["time"],
                    "mmsi": _bits(m, 8, 30),
                    "msg_type": type5["msg_type"],
                    "imo": _bits(m, 40, 30),
                    "callsign": _text(m, 70, 7),
                    "name": _text(m, 112, 20),
                    "ship_type": _bits(m, 232, 8),
                    "to_bow": _bits(m, 240, 9),
                    "to_stern": _bits(m, 249, 9),
                    "to_port": _bits(m, 258, 6),
                    "to_starboard": _bits(m, 264, 6),
                    "draught": _bits(m, 294, 8) / 10.0,
                    "destination": _text(m, 302, 20),
                }
            )
        )
    if type24.height:
        m = _sixbits(buffer, type24, 28)
        part = _bits(m, 38, 2)
        type24 = type24.with_columns(part=part).filter(pl.col("part") <= 1)
        m = m[part <= 1]
        a = pl.Series(_bits(m, 38, 2) == 0)
        frames.append(
            pl.DataFrame(
                {
                    "time": type24["time"],
                    "mmsi": _bits(m, 8, 30),
                    "msg_type": type24["msg_type"],
                    "part": type24["part"],
                    "name": _text(m, 40, 20),
                    "ship_type": _bits(m, 40, 8),
                    "callsign": _text(m, 90, 7),
                    "to_bow": _bits(m, 132, 9),
                    "to_stern": _bits(m, 141, 9),
                    "to_port": _bits(m, 150, 6),
                    "to_starboard": _bits(m, 156, 6),
                }
            ).with_columns(
                name=pl.when(a).then("name"),
                **{c: pl.when(~a).then(c) for c in ("ship_type", "callsign", "to_bow", "to_stern")},
                **{c: pl.when(~a).then(c) for c in ("to_port", "to_starboard")},
            )
        )
    frames = [f.cast(pl.Schema({k: v for k, v in STATIC_SCHEMA.items() if k in f.columns})) for f in frames]
    return pl.concat(frames, how="diagonal").select(STATIC_SCHEMA.keys())
