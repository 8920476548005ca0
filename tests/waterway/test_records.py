"""File readers: random content never crashes; it is read, rejected row by row, or refused with a code."""

from hypothesis import given, settings
from hypothesis import strategies as st

from jiafa.core.errors import JiafaError
from jiafa.waterway import records

HEADERS = [
    "record_id,checkpoint,passed_at,ship_name,confidence,direction,photo",
    "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status",
]
cells = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"], blacklist_characters='\r\n"'), max_size=12
)


@settings(max_examples=150, deadline=None)
@given(st.sampled_from(HEADERS), st.lists(st.lists(cells, min_size=1, max_size=14), max_size=6))
def test_random_rows_are_read_or_rejected_never_crash(header: str, rows: list[list[str]]) -> None:
    text = header + "\n" + "\n".join(",".join(row) for row in rows) + "\n"
    try:
        parsed = records.parse(text.encode("utf-8"), "random.csv")
    except JiafaError as e:
        assert e.code == "invalid_input" and "random.csv" in e.message
        return
    kept = parsed.positions.height + parsed.passages.height
    assert kept + sum(parsed.rejected.values()) == parsed.messages


def test_a_row_of_the_cadastre_sample_is_read_as_given() -> None:
    text = (
        "MMSI,BaseDateTime,LAT,LON,SOG,COG,Heading,VesselName,IMO,CallSign,VesselType,Status\n"
        "636021061,2023-01-11T00:00:00,26.09241,-80.04806,8.8,272.7,270.0,MSC NAISHA III,IMO9307839,5LCB4,"
        "70,8.0\n"
        "x,2023-01-11T00:00:00,26.1,-80.0,1,1,1,BAD,,,,\n"
    )
    parsed = records.parse(text.encode(), "noaa.csv")
    row = parsed.positions.row(0, named=True)
    assert (row["mmsi"], row["lat"], row["lon"], row["sog_kn"], row["heading"]) == (
        636021061,
        26.09241,
        -80.04806,
        8.8,
        270,
    )
    assert parsed.static.row(0, named=True)["imo"] == 9307839
    assert parsed.rejected == {"malformed": 1}
