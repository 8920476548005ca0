"""NMEA 0183 AIS sentences (AIVDM/AIVDO) to positions and static reports, decoded as columns. Pure code.

A receiver's file holds one sentence a line, optionally behind an IEC 61162-450 tag block
(`\\s:41925,c:1635731889*66\\!AIVDM,1,1,,,15Di=4002i<chWiba2`rPpD:04;`,0*37`). The messages that carry a
vessel's position (types 1, 2, 3, 18, 19 and the long-range 27) or its name (5 and 24) are decoded as
columns: line and field boundaries are located in the file's bytes with NumPy (a megabyte at a time),
checksums are XORed over those bytes, and the six-bit payload armouring becomes a matrix of small integers
from which every field is cut with shifts and masks.
Other types (base stations, aids to navigation, binary messages…) are counted as messages and not stored.
pyais is the reference: the tests check that every message of real receiver files decodes to its values.

Every line that is not an AIS sentence, fails its checksum or lacks a fragment is counted by reason; nothing
raises on bad input.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
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
    buf = np.frombuffer(data, dtype=np.uint8)
    messages = _messages(buf, _in_pieces(data, buf, rejected), rejected)
    count = len(messages)
    if default_time is None:
        dated = messages.time >= 0
        _count(rejected, Reason.NO_TIME, count - int(dated.sum()))
        messages = messages.take(np.flatnonzero(dated))
    else:
        fallback = int(default_time.timestamp() * 1_000_000)
        messages.time = np.where(messages.time >= 0, messages.time, fallback)
    kind = messages.sixbits(1)[0].astype(np.int64)
    class_a = _enough(messages, kind, (kind >= 1) & (kind <= 3), rejected)
    class_b = _enough(messages, kind, (kind == 18) | (kind == 19), rejected)
    positions = [
        _position_fields(messages.take(class_a), kind[class_a], 0),
        _position_fields(messages.take(class_b), kind[class_b], -4),
        _long_range(messages, kind, _enough(messages, kind, kind == LONG_RANGE_TYPE, rejected)),
    ]
    frame = pl.concat(positions)
    has_position = (frame["lat"].abs() <= 90) & (frame["lon"].abs() <= 180)
    _count(rejected, Reason.NO_POSITION, frame.height - int(has_position.sum()))
    return Decoded(
        positions=frame.filter(has_position),
        static=_static(messages, kind, rejected),
        messages=count,
        rejected=dict(sorted(rejected.items())),
    )


# The file is parsed a piece of about this many bytes at a time (pieces end at a line end): the arrays of a
# piece stay in the processor's caches between the steps over them, which made parsing twice as fast as over
# the whole file at once on a busy machine.
PIECE = 1 << 20


def _in_pieces(data: bytes, buf: np.ndarray, rejected: dict[str, int]) -> _Sentences:
    """The sentences of the whole file, parsed a piece at a time."""
    pieces, start = [], 0
    while start < len(data):
        end = data.find(b"\n", start + PIECE) + 1 or len(data)
        piece = _sentences(buf[start:end], rejected)
        piece.start += start
        pieces.append(piece)
        start = end
    if not pieces:
        return _sentences(buf, rejected)
    return _Sentences(*(np.concatenate([getattr(p, f.name) for p in pieces]) for f in fields(_Sentences)))


def _count(rejected: dict[str, int], reason: Reason, n: int) -> None:
    if n:
        rejected[str(reason)] = rejected.get(str(reason), 0) + n


# Six-bit armouring: '0'..'W' are 0..39 and '`'..'w' are 40..63; every other byte is not payload
# (`_not_armour`, `_Payloads.sixbits`).
_HEX = np.full(256, -1, dtype=np.int64)
for _i, _c in enumerate(b"0123456789ABCDEF"):
    _HEX[_c] = _i
    _HEX[bytes([_c]).lower()[0]] = _i
_UPPER = np.zeros(256, dtype=bool)
_UPPER[65:91] = True
NEWLINE, COMMA, BANG, STAR, BACKSLASH = 10, 44, 33, 42, 92
# The most payload characters read from one message (type 5: 424 bits). Every payload is readable that far:
# those of the file's last lines are copied, with zeros after them (see `_Payloads`).
MAX_CHARS = 71
# ITU-R M.1371's minimum payload bits (MIN_BITS) by message type, as a table.
_MIN_BITS = np.zeros(64, dtype=np.int64)
for _type, _bits_needed in MIN_BITS.items():
    _MIN_BITS[_type] = _bits_needed


@dataclass
class _Sentences:
    """The well-formed sentences with good checksums, in file order."""

    total: np.ndarray
    num: np.ndarray
    start: np.ndarray  # of the payload in the file
    length: np.ndarray
    fill: np.ndarray
    time: np.ndarray  # microseconds since 1970 (UTC) from the tag block, -1 without
    key: np.ndarray  # which fragments belong together: the tag-block group, else sequence id and channel


def _sentences(buf: np.ndarray, rejected: dict[str, int]) -> _Sentences:
    """Blank lines are no sentence; every other line is one, or counted as malformed or a bad checksum.

    Lines are found at the file's newlines. A usual sentence, `!AIVDM,1,1,,A,…,0*5C`, has 8 bytes that are not
    payload armour ('0'..'W', '`'..'w'): its `!`, six commas and `*`; counting them per sentence (one pass
    over the file) and reading the commas at their places confirms its form. The other lines are searched
    for the six commas that follow their `!`. Checksums come from one running XOR over the file's bytes,
    differenced at each sentence's ends; tag-block times from the `c:` (and `g:`) found in the file."""
    n = len(buf)
    if n == 0:
        return _Sentences(*(np.zeros(0, dtype=np.int64) for _ in range(7)))
    newlines = np.flatnonzero(buf == NEWLINE)
    starts = np.concatenate(([0], newlines + 1))
    ends = np.append(newlines, n)

    def at(i: np.ndarray) -> np.ndarray:  # bytes at positions that may lie past the file's ends
        return np.take(buf, i, mode="clip")

    for _ in range(3):  # \r\n line ends and trailing blanks
        last = at(ends - 1)
        trailing = (ends > starts) & ((last == 13) | (last == 32))
        if not trailing.any():
            break
        ends = ends - trailing
    line = np.flatnonzero(ends > starts)
    starts, ends = starts[line], ends[line]

    tagged = buf[starts] == BACKSLASH
    tag_end = starts  # the closing backslash of a tag block
    if tagged.any():
        backslashes = np.flatnonzero(buf == BACKSLASH)
        closing = backslashes[np.minimum(np.searchsorted(backslashes, starts + 1), len(backslashes) - 1)]
        tag_end = np.where(tagged, closing, starts)
    ok = ~tagged | ((tag_end > starts + 3) & (tag_end < ends) & (at(tag_end - 3) == STAR))
    bang = np.where(tagged, tag_end + 1, starts)

    not_armour = _not_armour(buf)
    c = _usual_commas(buf, not_armour, bang, ends)
    other = np.flatnonzero(c[0] < 0)
    payload_ok = c[0] >= 0
    if len(other):
        found, payload_ok[other] = _searched_commas(buf, not_armour, bang[other], ends[other])
        for i in range(6):
            c[i][other] = found[i]
    ok &= payload_ok & (c[5] + 5 == ends)
    ok &= (at(bang) == BANG) & _UPPER[at(bang + 1)] & _UPPER[at(bang + 2)] & (c[0] == bang + 6)
    formatter = at(bang + 5)
    ok &= (at(bang + 3) == ord("V")) & (at(bang + 4) == ord("D")) & ((formatter == 77) | (formatter == 79))
    total, num = at(c[0] + 1).astype(np.int64) - 48, at(c[1] + 1).astype(np.int64) - 48
    ok &= (c[1] == c[0] + 2) & (c[2] == c[1] + 2) & (total >= 1) & (total <= 9) & (num >= 1) & (num <= total)
    seq_length, channel_length = c[3] - c[2] - 1, c[4] - c[3] - 1
    seq = np.where(seq_length == 1, at(c[2] + 1).astype(np.int64) - 48, 10)
    ok &= ((seq_length == 0) | ((seq_length == 1) & (seq >= 0) & (seq <= 9))) & (channel_length <= 1)
    channel = np.where(channel_length == 1, at(c[3] + 1), 0).astype(np.int64)
    fill = at(c[5] + 1).astype(np.int64) - 48
    ok &= (fill >= 0) & (fill <= 5) & (at(c[5] + 2) == STAR)
    stated = _HEX[at(ends - 2)] * 16 + _HEX[at(ends - 1)]
    tag_stated = _HEX[at(tag_end - 2)] * 16 + _HEX[at(tag_end - 1)]
    ok &= (stated >= 0) & (~tagged | (tag_stated >= 0))
    _count(rejected, Reason.MALFORMED, int((~ok).sum()))

    xor = _RangeXor(buf)
    good = ok & (xor(bang + 1, ends - 3) == stated)
    good &= ~tagged | (xor(starts + 1, tag_end - 3) == tag_stated)
    _count(rejected, Reason.CHECKSUM, int((ok & ~good).sum()))
    rows = np.flatnonzero(good)
    seconds = np.full(len(rows), -1, dtype=np.int64)
    group = np.full(len(rows), -1, dtype=np.int64)
    with_tags = np.flatnonzero(tagged[rows])
    if len(with_tags):
        t = rows[with_tags]
        seconds[with_tags], group[with_tags] = _tag_numbers(buf, starts[t], tag_end[t])
    # Some receivers stamp milliseconds: no second count reaches 10^11 before the year 5138.
    micros = np.where(seconds >= 10**11, seconds * 1_000, seconds * 1_000_000)
    return _Sentences(
        total=total[rows],
        num=num[rows],
        start=c[4][rows] + 1,
        length=c[5][rows] - c[4][rows] - 1,
        fill=fill[rows],
        time=np.where(seconds >= 0, micros, -1),
        key=np.where(group >= 0, (group + 1) << 16, seq[rows] * 256 + channel[rows]),
    )


def _not_armour(buf: np.ndarray) -> np.ndarray:
    """Per byte, whether it is not payload armour; one more, False, after the last."""
    out = np.zeros(len(buf) + 1, dtype=bool)
    shifted = buf - np.uint8(48)  # armour is 0..39 and 48..71 after this
    np.greater_equal(shifted, 72, out=out[:-1])
    np.subtract(buf, np.uint8(88), out=shifted)
    out[:-1] |= shifted < 8
    return out


def _usual_commas(
    buf: np.ndarray, not_armour: np.ndarray, bang: np.ndarray, ends: np.ndarray
) -> list[np.ndarray]:
    """The places of the six commas of each usual sentence (`!AIVDM,1,1,,A,…,0*5C`: eight bytes that are not
    armour, the commas where that form puts them); -1 for the other lines."""
    n = len(buf)
    bounds = np.empty(2 * len(bang), dtype=np.int64)
    bounds[0::2], bounds[1::2] = np.clip(bang, 0, n), np.clip(ends, 0, n)
    counted = np.add.reduceat(not_armour.view(np.uint8), bounds, dtype=np.int32)[0::2]

    def comma(i: np.ndarray) -> np.ndarray:
        return np.take(buf, i, mode="clip") == COMMA

    c3 = np.where(comma(bang + 11), bang + 11, bang + 12)  # no sequence id, or one digit
    c4 = np.where(comma(c3 + 1), c3 + 1, c3 + 2)  # no channel, or one letter
    c5 = ends - 5
    usual = (counted == 8) & (bang < ends) & (c4 < c5) & comma(bang + 6) & comma(bang + 8) & comma(bang + 10)
    usual &= comma(c3) & comma(c4) & comma(c5)
    return [np.where(usual, place, -1) for place in (bang + 6, bang + 8, bang + 10, c3, c4, c5)]


def _searched_commas(
    buf: np.ndarray, not_armour: np.ndarray, bang: np.ndarray, ends: np.ndarray
) -> tuple[list[np.ndarray], np.ndarray]:
    """For lines of another form, the first six commas from each line's `!` (in later lines where it has
    fewer: the caller refuses those), and whether only armour lies between the fifth and the sixth."""
    span = np.maximum(np.minimum(ends, len(buf)) - bang, 0)
    inside = _ranges(bang, span)
    special = inside[not_armour[inside]]
    commas = special[buf[special] == COMMA]
    if not len(commas):
        return [np.full(len(bang), -1, dtype=np.int64) for _ in range(6)], np.zeros(len(bang), dtype=bool)
    after = np.searchsorted(commas, bang)
    nth = np.minimum(after[:, None] + np.arange(6), len(commas) - 1)
    found = [commas[nth[:, i]] for i in range(6)]
    armour = np.searchsorted(special, found[5]) == np.searchsorted(special, found[4]) + 1
    return found, (after + 5 < len(commas)) & armour


def _tag_numbers(buf: np.ndarray, starts: np.ndarray, tag_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per tagged line, the numbers of its tag block's `c:` parameter (receive time, `c:1635731889`) and `g:`
    parameter (group id, 3454 in `g:1-2-3454`), or -1 where it has none or it is not a number. A parameter
    follows the opening backslash or a comma; the first mention counts. Found among the file's colons."""
    colons = np.flatnonzero(buf == ord(":"))
    colons = colons[colons >= 2]
    before = buf[colons - 2]
    colons = colons[(before == COMMA) | (before == BACKSLASH)]
    name = buf[colons - 1]
    found = []
    for letter, digits, skip in ((ord("c"), 13, b""), (ord("g"), 9, b"d-d-")):
        at = colons[name == letter] - 1  # the parameter's name
        owner = np.searchsorted(starts, at, side="right") - 1
        inside = (owner >= 0) & (at < tag_end[np.maximum(owner, 0)] - 3)
        at, owner = at[inside], owner[inside]
        first = np.flatnonzero(np.diff(owner, prepend=-1) != 0)  # owners ascend: the first mention per line
        position = np.full(len(starts), -1, dtype=np.int64)
        position[owner[first]] = at[first] + 2
        found.append(_tag_number(buf, position, digits, skip=skip))
    return found[0], found[1]


def _tag_number(buf: np.ndarray, position: np.ndarray, digits: int, *, skip: bytes = b"") -> np.ndarray:
    """The number at each position (-1: none) of at most `digits` digits, after the bytes `skip` (d stands
    for one digit); -1 where there is none or it is longer."""
    result = np.full(len(position), -1, dtype=np.int64)
    rows = np.flatnonzero(position >= 0)
    width = len(skip) + digits + 1  # one more byte than the longest number: a longer one is seen and refused
    if not len(rows):
        return result
    # Lines in a row mostly carry the same bytes here (a receiver stamps many messages a second): each run of
    # equal windows is read once.
    window = _rows(buf, position[rows], 16)
    words = window.view("<u8")
    runs = np.flatnonzero(np.append(True, (words[1:, 0] != words[:-1, 0]) | (words[1:, 1] != words[:-1, 1])))
    window = window[runs, :width] - np.uint8(48)
    ok = np.ones(len(runs), dtype=bool)
    for i, expected in enumerate(skip):
        ok &= (
            (window[:, i] < 10) if expected == ord("d") else (window[:, i] == np.uint8((expected - 48) % 256))
        )
    number = window[:, len(skip) :]
    is_digit = number < 10
    count = is_digit.argmin(axis=1)
    count[is_digit[np.arange(len(runs)), count]] = digits + 1  # all digits
    leading = number * (np.arange(digits + 1, dtype=np.uint8) < count.astype(np.uint8)[:, None])
    value = np.zeros(len(runs), dtype=np.int64)
    for j in range(digits):
        value *= 10
        value += leading[:, j]
    value //= _POWERS_OF_TEN[np.maximum(digits - count, 0)]
    value = np.where(ok & (count > 0) & (count <= digits), value, -1)
    result[rows] = value[_run_of(len(rows), runs)]
    return result


_POWERS_OF_TEN = 10 ** np.arange(19, dtype=np.int64)


def _rows(buf: np.ndarray, positions: np.ndarray, width: int) -> np.ndarray:
    """The `width` bytes from each position, as rows of a matrix (zeros past the end of `buf`)."""
    n = len(buf)
    inside = positions <= n - width
    if inside.all():
        return _windows(buf, width)[positions]
    out = np.zeros((len(positions), width), dtype=np.uint8)
    rows = np.flatnonzero(inside)
    if len(rows):
        out[rows] = _windows(buf, width)[positions[rows]]
    rows = np.flatnonzero(~inside)
    first = max(int(positions[rows].min()), 0)
    tail = np.concatenate((buf[first:], np.zeros(width, dtype=np.uint8)))
    out[rows] = _windows(tail, width)[np.maximum(positions[rows], 0) - first]
    return out


def _run_of(rows: int, firsts: np.ndarray) -> np.ndarray:
    """For each of `rows` rows, the index of the run it belongs to, runs beginning at rows `firsts`."""
    begins = np.zeros(rows, dtype=np.int64)
    begins[firsts] = 1
    return np.cumsum(begins) - 1


def _windows(buf: np.ndarray, width: int) -> np.ndarray:
    """Every `width` consecutive bytes (row i starts at byte i), a view: indexing rows copies them."""
    return np.lib.stride_tricks.sliding_window_view(buf, width)


class _RangeXor:
    """The XOR of the bytes of many ranges of one buffer (NMEA checksums), all at once: a running XOR over
    8-byte words, corrected at both ends for the bytes of the partial words."""

    def __init__(self, buf: np.ndarray) -> None:
        self.n, self.whole = len(buf), len(buf) // 8
        self.words = buf[: self.whole * 8].view("<u8")
        tail = np.zeros(8, dtype=np.uint8)
        tail[: self.n - self.whole * 8] = buf[self.whole * 8 :]
        self.tail = tail.view("<u8")[0]
        self.running = np.zeros(self.whole + 1, dtype=np.uint64)
        np.bitwise_xor.accumulate(self.words, out=self.running[1:])

    def _word(self, i: np.ndarray) -> np.ndarray:
        if not self.whole:
            return np.full(len(i), self.tail)
        word = np.take(self.words, i, mode="clip")
        word[i >= self.whole] = self.tail
        return word

    def __call__(self, start: np.ndarray, end: np.ndarray) -> np.ndarray:
        start = np.clip(start, 0, self.n)
        end = np.clip(np.maximum(end, start), 0, self.n)
        first, last = start // 8, end // 8
        x = self.running[last] ^ self.running[first]
        x ^= self._word(first) & _LOW_BYTES[start % 8]
        x ^= self._word(last) & _LOW_BYTES[end % 8]
        for shift in (32, 16, 8):
            x ^= x >> np.uint64(shift)
        return (x & np.uint64(0xFF)).astype(np.int64)


# The low n bytes of a little-endian word, for n = 0..7.
_LOW_BYTES = np.array([(1 << (8 * n)) - 1 for n in range(8)], dtype=np.uint64)


@dataclass
class _Payloads:
    """Whole messages. A payload's `start` is a place in the file's bytes (below their length) or, past them,
    in `extra` (the joined fragments of multi-part messages and the payloads of the file's last lines, then
    zeros), so that MAX_CHARS characters can be read from every start."""

    file: np.ndarray
    extra: np.ndarray
    start: np.ndarray
    length: np.ndarray
    fill: np.ndarray
    time: np.ndarray  # microseconds since 1970 (UTC), -1 without

    def __len__(self) -> int:
        return len(self.start)

    def take(self, rows: np.ndarray) -> _Payloads:
        return _Payloads(
            self.file, self.extra, self.start[rows], self.length[rows], self.fill[rows], self.time[rows]
        )

    def sixbits(self, chars: int) -> np.ndarray:
        """A (chars × messages) matrix of the payloads' six-bit values, zero past a payload's end: row c holds
        every message's character c, in one stretch of memory (fields are cut from a few rows)."""
        n = len(self.file)
        in_file = self.start < n
        if in_file.all():
            m = _windows(self.file, chars)[self.start] if len(self) else np.zeros((0, chars), np.uint8)
        else:
            m = np.empty((len(self), chars), dtype=np.uint8)
            inside, outside = np.flatnonzero(in_file), np.flatnonzero(~in_file)
            if len(inside):
                m[inside] = _windows(self.file, chars)[self.start[inside]]
            m[outside] = _windows(self.extra, chars)[self.start[outside] - n]
        m -= np.uint8(48)  # '0'..'W' to 0..39, '`'..'w' to 48..71
        m -= (m >= 40).view(np.uint8) << np.uint8(3)
        short = np.flatnonzero(self.length < chars)  # these read past their payload: zero what follows it
        if len(short):
            m[short] = np.where(np.arange(chars) < self.length[short, None], m[short], np.uint8(0))
        return np.ascontiguousarray(m.T)


def _messages(buf: np.ndarray, sentences: _Sentences, rejected: dict[str, int]) -> _Payloads:
    """Whole messages, single sentences in file order, then the multi-part ones: fragments joined in order
    (by tag-block group, else by sequence id and channel). A group that lacks a fragment or has them out of
    order is `incomplete`."""
    s, n = sentences, len(buf)
    single, many = np.flatnonzero(s.total == 1), np.flatnonzero(s.total > 1)
    start, length, fill, time = s.start[single], s.length[single], s.fill[single], s.time[single]
    # The last lines' payloads are copied after the file's bytes, with the joined fragments.
    last = np.flatnonzero(start + MAX_CHARS > n)
    pieces = [buf[_ranges(start[last], length[last])]]
    start[last] = n + np.cumsum(length[last]) - length[last]
    if len(many):
        joined, size, group_fill, group_time = _reassembled(buf, s, many, rejected)
        pieces.append(joined)
        offset = n + len(pieces[0])
        start = np.concatenate((start, offset + np.cumsum(size) - size))
        length = np.concatenate((length, size))
        fill = np.concatenate((fill, group_fill))
        time = np.concatenate((time, group_time))
    extra = np.concatenate([*pieces, np.zeros(MAX_CHARS, dtype=np.uint8)])
    keep = np.flatnonzero(length > 0)
    return _Payloads(buf, extra, start[keep], length[keep], fill[keep], time[keep])


def _reassembled(
    buf: np.ndarray, s: _Sentences, many: np.ndarray, rejected: dict[str, int]
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The fragments `many` grouped: a group begins at a fragment number 1 or a new key, and is whole when
    it holds fragments 1, 2 … total of one total. Returns the whole groups' joined payloads, and per group
    its length, fill bits (of its last fragment) and time (of its first fragment that has one)."""
    order = many[np.lexsort((s.start[many], s.key[many]))]
    key, total, num, time = s.key[order], s.total[order], s.num[order], s.time[order]
    begins = np.flatnonzero((num == 1) | (np.diff(key, prepend=key[0] - 1) != 0))
    group = _run_of(len(order), begins)
    fragments = np.diff(np.append(begins, len(order)))
    in_place = (num == np.arange(len(order)) - begins[group] + 1) & (total == total[begins][group])
    complete = (np.bincount(group[~in_place], minlength=len(begins)) == 0) & (fragments == total[begins])
    _count(rejected, Reason.INCOMPLETE, int(fragments[~complete].sum()))
    timed = np.where(time >= 0, np.arange(len(order)), len(order))
    first_timed = np.minimum.reduceat(timed, begins)
    group_time = np.where(first_timed < len(order), time[np.minimum(first_timed, len(order) - 1)], -1)
    whole = complete[group]
    joined = buf[_ranges(s.start[order][whole], s.length[order][whole])]
    size = np.add.reduceat(s.length[order], begins)
    last = begins + fragments - 1
    return joined, size[complete], s.fill[order][last][complete], group_time[complete]


def _ranges(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """The positions of the bytes of ranges, one range after the other."""
    offsets = np.cumsum(lengths) - lengths
    return np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()))


def _bits(m: np.ndarray, start: int, width: int, *, signed: bool = False) -> np.ndarray:
    """Bits [start, start + width) of every message of a six-bit matrix (`sixbits`), as integers (≤ 48)."""
    first, last = start // 6, (start + width - 1) // 6
    value = m[first].astype(np.int64)
    for c in range(first + 1, last + 1):
        value <<= 6
        value |= m[c]
    value >>= (last + 1) * 6 - start - width
    value &= (1 << width) - 1
    if signed:
        value -= (value >> (width - 1)) << width
    return value


def _text(m: np.ndarray, start: int, chars: int) -> pl.Series:
    """Six-bit text (`@` pads, trailing spaces dropped, as pyais reads it)."""
    codes = np.stack([_bits(m, start + 6 * i, 6) for i in range(chars)], axis=1)
    ascii_codes = np.where(codes < 32, codes + 64, codes).astype(np.uint8)
    texts = np.ascontiguousarray(ascii_codes).view(f"S{chars}").ravel()  # ASCII: no byte is zero
    return pl.Series(texts).cast(pl.String).str.strip_chars_end("@ ")


def _degrees(raw: np.ndarray, scale: int = 10) -> np.ndarray:
    """1/10 000 minute (scale 10; 1/10 minute: scale 10 000) to degrees, rounded to 6 decimals exactly as
    pyais does it (round(raw × scale / 6) / 10⁶ in integers)."""
    return ((scale * raw + 3) // 6) / 1e6


def _times(micros: np.ndarray) -> pl.Series:
    return pl.Series("time", micros, dtype=pl.Int64).cast(pl.Datetime("us", "UTC"))


def _nulls(name: str, n: int) -> pl.Series:
    return pl.repeat(None, n, dtype=POSITION_SCHEMA[name], eager=True).alias(name)


def _enough(
    messages: _Payloads, kind: np.ndarray, of_kind: np.ndarray, rejected: dict[str, int]
) -> np.ndarray:
    """The rows of messages of a kind that carry enough bits; the others are counted `short`."""
    rows = np.flatnonzero(of_kind)
    enough = messages.length[rows] * 6 - messages.fill[rows] >= _MIN_BITS[kind[rows]]
    _count(rejected, Reason.SHORT, len(rows) - int(enough.sum()))
    return rows[enough]


def _position_fields(messages: _Payloads, kind: np.ndarray, shift: int) -> pl.DataFrame:
    """Class A reports (1–3); class B (18, 19) has 8 reserved bits where class A has status and rate of turn,
    then the same fields 4 bits earlier (ITU-R M.1371 tables 46, 66 and 67)."""
    m = messages.sixbits(28)
    n = len(messages)
    return pl.DataFrame(
        [
            _times(messages.time),
            pl.Series("mmsi", _bits(m, 8, 30)),
            pl.Series("msg_type", kind.astype(np.int8)),
            pl.Series("status", _bits(m, 38, 4).astype(np.int8)) if shift == 0 else _nulls("status", n),
            pl.Series("sog_kn", _bits(m, 50 + shift, 10) / 10.0),
            pl.Series("cog", _bits(m, 116 + shift, 12) / 10.0),
            pl.Series("heading", _bits(m, 128 + shift, 9).astype(np.int16)),
            pl.Series("lat", _degrees(_bits(m, 89 + shift, 27, signed=True))),
            pl.Series("lon", _degrees(_bits(m, 61 + shift, 28, signed=True))),
            pl.Series("second", _bits(m, 137 + shift, 6).astype(np.int8)),
        ]
    )


def _long_range(messages: _Payloads, kind: np.ndarray, rows: np.ndarray) -> pl.DataFrame:
    """Type 27, the long-range broadcast: 1/10 minute positions, whole knots and degrees (table 84)."""
    m = messages.take(rows).sixbits(16)
    return pl.DataFrame(
        {
            "time": _times(messages.time[rows]),
            "mmsi": _bits(m, 8, 30),
            "msg_type": kind[rows].astype(np.int8),
            "status": _bits(m, 40, 4).astype(np.int8),
            "sog_kn": _bits(m, 79, 6).astype(np.float64),
            "cog": _bits(m, 85, 9).astype(np.float64),
            "heading": _nulls("heading", len(rows)),
            "lat": _degrees(_bits(m, 62, 17, signed=True), 10_000),
            "lon": _degrees(_bits(m, 44, 18, signed=True), 10_000),
            "second": _nulls("second", len(rows)),
        }
    ).cast(POSITION_SCHEMA)


def _static(messages: _Payloads, kind: np.ndarray, rejected: dict[str, int]) -> pl.DataFrame:
    frames = [pl.DataFrame(schema=STATIC_SCHEMA)]
    five = _enough(messages, kind, kind == 5, rejected)
    if len(five):
        m = messages.take(five).sixbits(MAX_CHARS)
        frames.append(
            pl.DataFrame(
                {
                    "time": _times(messages.time[five]),
                    "mmsi": _bits(m, 8, 30),
                    "msg_type": kind[five],
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
    rows = _enough(messages, kind, kind == 24, rejected)
    if len(rows):
        m = messages.take(rows).sixbits(28)
        part = _bits(m, 38, 2)
        rows, m, part = rows[part <= 1], m[:, part <= 1], part[part <= 1]
        a = pl.Series(part == 0)
        frames.append(
            pl.DataFrame(
                {
                    "time": _times(messages.time[rows]),
                    "mmsi": _bits(m, 8, 30),
                    "msg_type": kind[rows],
                    "part": part,
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
