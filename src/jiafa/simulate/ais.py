"""AIS messages as a shore receiver writes them: NMEA 0183 AIVDM sentences behind an IEC 61162-450 tag block
that carries the receiving time (`\\c:1672531200*hh\\!AIVDM,1,1,,A,…,0*hh`). Position reports (type 1) and
static and voyage data (type 5, two sentences tied by the tag block's group) are encoded for a whole day at
once: the fields are packed into 42-bit lanes of integers, cut six bits at a time into the payload's
armouring, and the checksums are XORed over the columns of fixed-width lines. What `jiafa waterway ingest`
reads (waterway/nmea.py); the tests decode the output with pyais, the reference. Pure code: columns in,
bytes out.
"""

from __future__ import annotations

import numpy as np
import polars as pl

# ITU-R M.1371 message 1: (field, bits); `None` fields are constants written below.
POSITION_FIELDS = (
    ("type", 6),
    ("repeat", 2),
    ("mmsi", 30),
    ("status", 4),
    ("turn", 8),
    ("sog", 10),  # 1/10 knot
    ("accuracy", 1),
    ("lon", 28),  # 1/10 000 minute, two's complement
    ("lat", 27),
    ("cog", 12),  # 1/10 degree
    ("heading", 9),
    ("second", 6),
    ("manoeuvre", 2),
    ("spare", 3),
    ("raim", 1),
    ("radio", 19),
)
# Message 5 (424 bits); text fields are (field, characters) in STATIC_TEXT.
STATIC_FIELDS = (
    ("type", 6),
    ("repeat", 2),
    ("mmsi", 30),
    ("version", 2),
    ("imo", 30),
    ("callsign", 42),
    ("name", 120),
    ("ship_type", 8),
    ("to_bow", 9),
    ("to_stern", 9),
    ("to_port", 6),
    ("to_starboard", 6),
    ("epfd", 4),
    ("month", 4),
    ("day", 5),
    ("hour", 5),
    ("minute", 6),
    ("draught", 8),  # 1/10 metre
    ("destination", 120),
    ("dte", 1),
    ("spare", 1),
)
STATIC_TEXT = {"callsign": 7, "name": 20, "destination": 20}
TURN_UNAVAILABLE = -128
FIRST_PART = 60  # characters of a type 5 payload in its first sentence (71 in all, the rest in the second)

POSITION_COLUMNS = ("time", "mmsi", "status", "sog_kn", "cog", "heading", "lat", "lon")
STATIC_COLUMNS = ("time", "mmsi", "name", "ship_type", "length_m", "beam_m", "draught_m", "destination")


LANE = 42  # payload bits packed per 64-bit integer: seven armoured characters


def _pack(fields: list[tuple[int, np.ndarray]], total_bits: int) -> np.ndarray:
    """The (n, total_bits / 6) payload characters of messages whose fields are (width, values) in order,
    values in two's complement where negative. Bits are gathered into 42-bit lanes of integers and cut six at
    a time: a few operations on whole columns per field, nothing per message."""
    n = len(fields[0][1])
    lanes = [np.zeros(n, np.int64) for _ in range(-(-total_bits // LANE))]
    start = 0
    for width, values in fields:
        v = np.asarray(values).astype(np.int64) & ((1 << width) - 1)
        end = start + width
        for lane in range(start // LANE, (end - 1) // LANE + 1):
            a, b = max(start, lane * LANE), min(end, (lane + 1) * LANE)
            part = (v >> (end - b)) & ((1 << (b - a)) - 1)
            lanes[lane] |= part << ((lane + 1) * LANE - b)
        start = end
    chars = total_bits // 6
    sixes = np.empty((n, chars), np.uint8)
    for k in range(chars):
        sixes[:, k] = (lanes[k // 7] >> (LANE - 6 - 6 * (k % 7))) & 63
    return np.where(sixes < 40, sixes + 48, sixes + 56).astype(np.uint8)


def _text(texts: list[str], chars: int) -> list[tuple[int, np.ndarray]]:
    """Six-bit ASCII text (`@` pads) as one six-bit field per character; a character AIS can't carry
    becomes a question mark."""
    raw = np.frombuffer(
        b"".join(t.upper().encode("ascii", "replace")[:chars].ljust(chars, b"@") for t in texts),
        dtype=np.uint8,
    ).reshape(len(texts), chars)
    codes = np.where(raw >= 64, raw - 64, raw).astype(np.int64)
    return [(6, codes[:, k]) for k in range(chars)]


_HEX = np.frombuffer(b"0123456789ABCDEF", dtype=np.uint8)


def _checksum(matrix: np.ndarray, start: int, end: int) -> np.ndarray:
    """(n, 2) hex digits of the XOR of columns [start, end)."""
    x = np.bitwise_xor.reduce(matrix[:, start:end], axis=1)
    return np.stack([_HEX[x >> 4], _HEX[x & 15]], axis=1)


def _lines(
    seconds: np.ndarray, prefixes: list[bytes], sentences: list[tuple[bytes, np.ndarray, bytes]]
) -> np.ndarray:
    """Fixed-width lines (n, width): a tag block per line (`prefix` then `c:` seconds where the prefix asks
    for it) and one sentence each — (head, payload matrix, fill digit)."""
    rows = []
    n = len(seconds)
    for prefix, (head, payload, fill) in zip(prefixes, sentences, strict=True):
        tag = np.frombuffer(prefix, dtype=np.uint8)[None, :].repeat(n, axis=0)
        if prefix.endswith(b"c:"):
            digits = (seconds[:, None] // 10 ** np.arange(9, -1, -1, dtype=np.int64)[None, :]) % 10
            tag = np.concatenate([tag, (digits + 48).astype(np.uint8)], axis=1)
        parts = [
            np.full((n, 1), ord("\\"), np.uint8),
            tag,
            np.full((n, 1), ord("*"), np.uint8),
            _checksum(tag, 0, tag.shape[1]),
            np.full((n, 1), ord("\\"), np.uint8),
        ]
        body = np.concatenate(
            [
                np.frombuffer(head, dtype=np.uint8)[None, :].repeat(n, axis=0),
                payload,
                np.frombuffer(b"," + fill, dtype=np.uint8)[None, :].repeat(n, axis=0),
            ],
            axis=1,
        )
        sentence = np.concatenate(
            [
                np.full((n, 1), ord("!"), np.uint8),
                body,
                np.full((n, 1), ord("*"), np.uint8),
                _checksum(body, 0, body.shape[1]),
                np.full((n, 1), ord("\n"), np.uint8),
            ],
            axis=1,
        )
        rows.append(np.concatenate([*parts, sentence], axis=1))
    return np.concatenate(rows, axis=1)


def positions(frame: pl.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Type 1 reports of the rows of `frame` (POSITION_COLUMNS; `time` in UTC): the receiving times in
    seconds and one 65-byte line each."""
    n = frame.height
    seconds = frame["time"].dt.epoch("s").to_numpy()
    zero = np.zeros(n, np.int64)
    values = {
        "type": np.ones(n, np.int64),
        "repeat": zero,
        "mmsi": frame["mmsi"].to_numpy(),
        "status": frame["status"].to_numpy(),
        "turn": np.full(n, TURN_UNAVAILABLE),
        "sog": np.minimum(np.rint(frame["sog_kn"].to_numpy() * 10), 1022),
        "accuracy": zero,
        "lon": np.rint(frame["lon"].to_numpy() * 600_000),
        "lat": np.rint(frame["lat"].to_numpy() * 600_000),
        "cog": np.rint(frame["cog"].to_numpy() * 10) % 3600,
        "heading": frame["heading"].to_numpy(),
        "second": seconds % 60,
        "manoeuvre": zero,
        "spare": zero,
        "raim": zero,
        "radio": zero,
    }
    payload = _pack([(w, values[k]) for k, w in POSITION_FIELDS], 168)
    lines = _lines(seconds, [b"c:"], [(b"AIVDM,1,1,,A,", payload, b"0")])
    bang = 17  # after `\c:1234567890*hh\`
    lines[:, bang + 12] = np.where(values["mmsi"] % 2 == 0, ord("A"), ord("B"))  # the radio channel
    _sentence_checksum(lines, bang, lines.shape[1] - 1)
    return seconds, lines


def _sentence_checksum(lines: np.ndarray, bang: int, end: int) -> None:
    """Write again the checksum of the sentence from column `bang` (its `!`) to `end` (its newline), after a
    field of it was changed in place."""
    lines[:, end - 2 : end] = _checksum(lines, bang + 1, end - 3)


def static(frame: pl.DataFrame, first_group: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Type 5 reports of the rows of `frame` (STATIC_COLUMNS): the receiving times in seconds and two
    sentences each (one 2-line record of fixed width), tied by the tag block's group (`g:1-2-id`, counted
    from `first_group`) and by the sentences' sequence id."""
    n = frame.height
    seconds = frame["time"].dt.epoch("s").to_numpy()
    length = frame["length_m"].to_numpy()
    beam = frame["beam_m"].to_numpy()
    zero = np.zeros(n, np.int64)
    values: dict[str, np.ndarray] = {
        "type": np.full(n, 5),
        "repeat": zero,
        "mmsi": frame["mmsi"].to_numpy(),
        "version": zero,
        "imo": zero,
        "ship_type": frame["ship_type"].to_numpy(),
        "to_bow": np.rint(length * 0.4),
        "to_stern": np.rint(length * 0.6),
        "to_port": np.rint(beam / 2),
        "to_starboard": np.rint(beam / 2),
        "epfd": np.ones(n, np.int64),
        "month": zero,  # no estimated time of arrival
        "day": zero,
        "hour": np.full(n, 24),
        "minute": np.full(n, 60),
        "draught": np.rint(frame["draught_m"].to_numpy() * 10),
        "dte": zero,
        "spare": zero,
    }
    texts = {
        "callsign": [""] * n,
        "name": frame["name"].to_list(),
        "destination": frame["destination"].to_list(),
    }
    fields: list[tuple[int, np.ndarray]] = []
    for key, width in STATIC_FIELDS:
        fields += _text(texts[key], STATIC_TEXT[key]) if key in STATIC_TEXT else [(width, values[key])]
    payload = _pack([*fields, (2, zero)], 426)  # 424 bits and 2 fill bits
    groups = first_group + np.arange(n, dtype=np.int64)
    digits = ((groups[:, None] // 10 ** np.arange(5, -1, -1)[None, :]) % 10 + 48).astype(np.uint8)
    lines = _lines(
        seconds,
        [b"g:1-2-000000,c:", b"g:2-2-000000"],
        [
            (b"AIVDM,2,1,0,A,", payload[:, :FIRST_PART], b"0"),
            (b"AIVDM,2,2,0,A,", payload[:, FIRST_PART:], b"2"),
        ],
    )
    # Each line: `\` tag `*hh\` `!AIVDM,2,n,` sequence id … `*hh` newline. Write in the group number and
    # the sequence id, then the checksums again.
    first = 1 + 25 + 4 + 1 + 14 + FIRST_PART + 2 + 4  # the first line's width
    for start, tag, end in ((0, 25, first - 1), (first, 12, lines.shape[1] - 1)):
        lines[:, start + 7 : start + 13] = digits
        lines[:, start + tag + 2 : start + tag + 4] = _checksum(lines, start + 1, start + tag + 1)
        bang = start + tag + 5
        lines[:, bang + 11] = groups % 10 + 48
        _sentence_checksum(lines, bang, end)
    return seconds, lines


def file_bytes(*records: tuple[np.ndarray, np.ndarray]) -> bytes:
    """Records of several kinds — (times, fixed-width lines), each kind in time order — merged into one
    file in time order (stable: a kind given first goes first at equal times)."""
    kinds = [(t, lines) for t, lines in records if len(t)]
    if not kinds:
        return b""
    times = np.concatenate([t for t, _ in kinds])
    kind = np.concatenate([np.full(len(t), k) for k, (t, _) in enumerate(kinds)])
    row = np.concatenate([np.arange(len(t)) for t, _ in kinds])
    order = np.argsort(times, kind="stable")
    kind, row = kind[order], row[order]
    breaks = np.flatnonzero(np.diff(kind)) + 1  # runs of one kind: copied as whole blocks of rows
    starts = np.concatenate(([0], breaks))
    ends = np.concatenate((breaks, [len(kind)]))
    return b"".join(
        kinds[kind[a]][1][row[a] : row[b - 1] + 1].tobytes() for a, b in zip(starts, ends, strict=True)
    )
