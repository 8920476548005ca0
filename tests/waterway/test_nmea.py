"""The columnar AIS decoder against pyais, the reference, on real receiver files; and on damaged input."""

from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyais
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyais.stream import FileReaderStream

from jiafa.waterway import nmea

AIS = Path(__file__).resolve().parents[3] / "shared/data/ais"
SAMPLES = [AIS / "aisdb_20211101_tagblocks.nm4", AIS / "pyais_nmea_data_sample.txt"]
NOON = datetime(2024, 5, 1, 4, 0, tzinfo=UTC)
POSITION_FIELDS = ("mmsi", "msg_type", "lat", "lon", "speed", "course", "heading", "status", "second")
STATIC_FIELDS = (
    "mmsi",
    "msg_type",
    "shipname",
    "callsign",
    "ship_type",
    "imo",
    "to_bow",
    "to_stern",
    "draught",
)


def _reference(path: Path) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    """Every message pyais decodes from the file (valid checksums only), as comparable tuples."""
    positions: Counter[tuple[Any, ...]] = Counter()
    static: Counter[tuple[Any, ...]] = Counter()
    for sentence in FileReaderStream(str(path)):
        if not sentence.is_valid:
            continue
        try:
            m = sentence.decode().asdict()
        except Exception:  # pyais refuses empty payloads; so do we (no message)
            continue
        if m["msg_type"] in (1, 2, 3, 18, 19, 27) and abs(m["lat"]) <= 90 and abs(m["lon"]) <= 180:
            positions[tuple(_plain(m.get(f)) for f in POSITION_FIELDS)] += 1
        elif m["msg_type"] in (5, 24):
            static[tuple(_plain(m.get(f)) for f in STATIC_FIELDS)] += 1
    return positions, static


def _plain(value: Any) -> Any:
    return int(value) if hasattr(value, "value") else value  # pyais's enums as their numbers


def _ours(decoded: nmea.Decoded) -> tuple[Counter[tuple[Any, ...]], Counter[tuple[Any, ...]]]:
    rename = {"speed": "sog_kn", "course": "cog", "shipname": "name"}
    positions = Counter(
        tuple(r.get(rename.get(f, f)) for f in POSITION_FIELDS)
        for r in decoded.positions.iter_rows(named=True)
    )
    static = Counter(
        tuple(_static_value(r, f, rename) for f in STATIC_FIELDS)
        for r in decoded.static.iter_rows(named=True)
    )
    return positions, static


def _static_value(row: dict[str, Any], f: str, rename: dict[str, str]) -> Any:
    # pyais leaves out of a type 24 the fields of the other part; we keep them as null.
    return row.get(rename.get(f, f))


@pytest.mark.parametrize("path", SAMPLES, ids=lambda p: p.name)
def test_every_message_decodes_to_the_values_pyais_gives(path: Path) -> None:
    decoded = nmea.decode_bytes(path.read_bytes(), default_time=NOON)
    ours_positions, ours_static = _ours(decoded)
    reference_positions, reference_static = _reference(path)
    assert ours_positions == reference_positions
    assert ours_static == reference_static
    assert decoded.positions.height > 700


def test_tag_block_time_dates_each_message() -> None:
    line = "\\s:41925,c:1635731889,t:1635731965*66\\!AIVDM,1,1,,,15Di=4002i<chWiba2`rPpD:04;`,0*37"
    decoded = nmea.decode_bytes(line.encode())
    assert decoded.positions["time"].to_list() == [datetime.fromtimestamp(1635731889, UTC)]
    assert decoded.positions["mmsi"].to_list() == [pyais.decode(line).mmsi]


def test_without_tag_blocks_messages_need_a_time() -> None:
    decoded = nmea.decode_bytes(SAMPLES[1].read_bytes())
    assert decoded.positions.is_empty()
    assert decoded.rejected["no_time"] == decoded.messages


def test_two_part_static_report_is_reassembled_like_pyais() -> None:
    lines = (
        "\\g:1-2-3454,s:41925,c:1635731893,t:1635731965*19\\!AIVDM,2,1,2,,57`B?hl2CdtQ`lO;SK9L4Tl5@62222222222220l1@>"
        "666QVS>1jDhSl,0*20\n\\g:2-2-3454*5B\\!AIVDM,2,2,2,,SQH888888888880,2*15\n"
    )
    decoded = nmea.decode_bytes(lines.encode())
    assert decoded.static.height == 1
    row = decoded.static.row(0, named=True)
    reference = pyais.decode(*lines.split("\n")[:2])
    assert (row["mmsi"], row["name"], row["destination"]) == (reference.mmsi, "WAIMATA", "GISBORNE")
    assert row["time"] == datetime.fromtimestamp(1635731893, UTC)


def test_a_missing_fragment_or_a_bad_checksum_is_counted_not_decoded() -> None:
    lines = (
        # part 2 never comes
        "!AIVDM,2,1,8,A,55DTsr01rEv?<E5;801<D604pDlu<0000000001?21J7:5cde>C0H1kmC1E5,0*7B\n"
        "!AIVDM,1,1,,A,13RlIW?04F1beOVEFLB9bRvH0L0L,0*6D\n"  # checksum altered (6C)
        "!AIVDM,1,1,,A,13RlIW?04F1beOVEFLB9bRvH0L0L,0*6C\n"
        "garbage\n\n"
    )
    decoded = nmea.decode_bytes(lines.encode(), default_time=NOON)
    assert decoded.rejected == {"checksum": 1, "incomplete": 1, "malformed": 1}
    assert decoded.positions["mmsi"].to_list() == [pyais.decode(lines.split("\n")[2]).mmsi]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400))
def test_random_bytes_never_crash(data: bytes) -> None:
    decoded = nmea.decode_bytes(data, default_time=NOON)
    assert decoded.positions.height <= decoded.messages


VALID = "\\s:41925,c:1635731889,t:1635731965*66\\!AIVDM,1,1,,,15Di=4002i<chWiba2`rPpD:04;`,0*37"


@settings(max_examples=300, deadline=None)
@given(st.integers(0, len(VALID) - 1), st.characters(min_codepoint=32, max_codepoint=126))
def test_any_one_changed_character_is_rejected_or_decoded_without_crash(at: int, char: str) -> None:
    line = VALID[:at] + char + VALID[at + 1 :]
    decoded = nmea.decode_bytes(line.encode())
    original = nmea.decode_bytes(VALID.encode()).positions.select("mmsi", "lat", "lon", "time")
    assert original.height == 1
    # One changed character breaks the form or a checksum (the tag block has its own): never a silently
    # different position or time. (A change of case in a hexadecimal checksum digit changes nothing.)
    assert decoded.positions.is_empty() or decoded.positions.select(original.columns).equals(original)
    assert sum(decoded.rejected.values()) + decoded.messages == 1
