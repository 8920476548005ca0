"""Weigh-in-motion records (overload/records.py), pure: parsing CSV and Parquet, each validity check at its
threshold, the vectorised determination against law.overload.assess, and trips."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jiafa.core.errors import JiafaError
from jiafa.law import ruledata
from jiafa.law.overload import Measurement, Outcome, Vehicle, assess
from jiafa.overload import records
from jiafa.overload.records import Reason

BOOK = ruledata.load(ruledata.PACKAGED)
DAY = date(2025, 6, 2)
NOON = datetime(2025, 6, 2, 4, 0, tzinfo=UTC)  # 12:00 in China
NOW = NOON + timedelta(hours=6)
SHA = "ab" * 32
STATION = "ZJ-001"


def record(**over: Any) -> dict[str, Any]:
    """A valid six-axle combination, 60 t, as a station pushes it (JSON types)."""
    base: dict[str, Any] = {
        "record_id": "R1",
        "station_id": STATION,
        "lane": 1,
        "passed_at": NOON,
        "plate": "浙F12345",
        "plate_color": "黄",
        "plate_confidence": 0.95,
        "axles": 6,
        "combination": True,
        "single_drive_axle": False,
        "gross_kg": 60000,
        "axle_loads_kg": [7000, 11000, 11000, 10300, 10300, 10400],
        "axle_spacings_mm": [3200, 1350, 7000, 1310, 1310],
        "speed_kmh": 62.5,
        "length_mm": 17000,
        "width_mm": 2550,
        "height_mm": 3900,
        "photo_front": SHA,
        "photo_side": "cd" * 32,
        "photo_rear": "ef" * 32,
        "video": None,
    }
    return base | over


def frame(*rows: dict[str, Any]) -> pl.DataFrame:
    schema = {
        n: (pl.List(pl.Int64) if isinstance(t, pl.List) else pl.Int64 if t.is_integer() else t)
        for n, t in records.COLUMNS.items()
    }
    return pl.DataFrame(list(rows), schema=schema)


def stations(calibrated: bool = True, days: tuple[date, ...] = (DAY,)) -> pl.DataFrame:
    rows = [
        {
            "station_id": STATION,
            "day": d,
            "speed_min_kmh": 5.0,
            "speed_max_kmh": 100.0,
            "calibration": 1 if calibrated else None,
        }
        for d in days
    ]
    return pl.DataFrame(rows, schema=records.STATION_DAY_SCHEMA)


def check(*rows: dict[str, Any], calibrated: bool = True, book: ruledata.RuleBook = BOOK) -> list[str | None]:
    parsed = records.parse(frame(*rows))
    days = parsed.select(records.local_day()).to_series().drop_nulls().unique().to_list()
    tables = records.rule_tables(book, days)
    station_days = stations(calibrated, tuple(sorted(days))) if days else stations(days=())
    checked = records.validate(parsed.lazy(), tables, station_days, now=NOW).collect()
    return checked["reject_reason"].to_list()


def reason(**over: Any) -> str | None:
    return check(record(**over))[0]


# ── Each check at its threshold ──────────────────────────────────────────────────────────────────────


def test_a_complete_record_is_valid():
    assert reason() is None


@pytest.mark.parametrize(
    ("loads", "expected"),
    [
        ([7000, 11000, 11000, 10300, 10300, 12200], None),  # sum 61,800: 3% of 60,000 over
        ([7000, 11000, 11000, 10300, 10300, 12201], Reason.AXLE_LOADS),
        ([7000, 11000, 11000, 10300, 10300, 8600], None),  # 1,800 kg under
        ([7000, 11000, 11000, 10300, 10300, 8599], Reason.AXLE_LOADS),
        ([0, 11000, 11000, 10300, 10300, 17400], Reason.AXLE_LOADS),  # an axle weighing nothing
    ],
)
def test_axle_loads_must_add_up_to_the_gross_within_the_margin(loads, expected):
    assert reason(axle_loads_kg=loads) == expected


@pytest.mark.parametrize(
    ("speed", "expected"),
    [(5.0, None), (4.9, Reason.SPEED), (100.0, None), (100.1, Reason.SPEED), (None, Reason.SPEED)],
)
def test_speed_within_the_stations_certified_range(speed, expected):
    assert reason(speed_kmh=speed) == expected


def test_axle_count_between_two_and_ten_and_one_load_per_axle():
    ten = record(axles=10, axle_loads_kg=[6000] * 10, axle_spacings_mm=[1400] * 9)
    eleven = record(
        axles=11, axle_loads_kg=[5455] * 10 + [5450], axle_spacings_mm=[1400] * 10, gross_kg=60000
    )
    two = record(
        axles=2, combination=False, gross_kg=15000, axle_loads_kg=[5000, 10000], axle_spacings_mm=[4500]
    )
    assert check(ten | {"gross_kg": 60000}, eleven, two) == [None, Reason.AXLE_COUNT, None]
    assert reason(axle_loads_kg=[12000, 12000, 12000, 12000, 12000]) == Reason.AXLE_COUNT


def test_a_vehicle_the_law_has_no_class_for_is_refused():
    two_axle_train = record(
        axles=2, combination=True, gross_kg=15000, axle_loads_kg=[5000, 10000], axle_spacings_mm=[4500]
    )
    five_axle_single_drive = record(
        axles=5,
        single_drive_axle=True,
        gross_kg=40000,
        axle_loads_kg=[8000] * 5,
        axle_spacings_mm=[3300, 1300, 6500, 1310],
    )
    assert check(two_axle_train, five_axle_single_drive) == [Reason.VEHICLE_CLASS, Reason.VEHICLE_CLASS]


@pytest.mark.parametrize(
    ("spacings", "expected"),
    [
        ([600, 1350, 7000, 1310, 1310], None),
        ([599, 1350, 7000, 1310, 1310], Reason.AXLE_SPACING),
        ([3200, 1350, 15000, 1310, 1310], None),
        ([3200, 1350, 15001, 1310, 1310], Reason.AXLE_SPACING),
        ([3200, 1350, 7000, 1310], Reason.AXLE_SPACING),  # five axles' worth
        (None, Reason.AXLE_SPACING),
    ],
)
def test_axle_spacings_one_fewer_than_axles_and_each_plausible(spacings, expected):
    assert reason(axle_spacings_mm=spacings) == expected


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        ({}, None),
        ({"plate_confidence": 0.8}, None),
        ({"plate_confidence": 0.79}, Reason.PLATE),
        ({"plate_confidence": None}, Reason.PLATE),
        ({"plate": "未识别"}, Reason.PLATE),
        ({"plate": "  "}, Reason.PLATE),
        ({"plate": None}, Reason.PLATE),
        ({"plate_color": None}, Reason.PLATE),
    ],
)
def test_plate_read_with_confidence(over, expected):
    assert reason(**over) == expected


@pytest.mark.parametrize(
    ("over", "expected"),
    [
        ({"photo_front": None}, Reason.EVIDENCE),
        ({"photo_side": "ab" * 31}, Reason.EVIDENCE),  # 62 digits
        ({"photo_rear": "zz" * 32}, Reason.EVIDENCE),  # not hexadecimal
        ({"photo_rear": ("AB" * 32)}, None),  # upper case is still hexadecimal
        ({"video": "12" * 32}, None),
        ({"video": ""}, None),  # no clip
        ({"video": "not-a-hash"}, Reason.EVIDENCE),
    ],
)
def test_front_side_and_rear_photos_referenced_by_sha256(over, expected):
    assert reason(**over) == expected


def test_a_record_from_the_future_beyond_the_clock_tolerance_is_refused():
    assert reason(passed_at=NOW + timedelta(seconds=300)) is None
    assert reason(passed_at=NOW + timedelta(seconds=301)) == Reason.FUTURE


def test_unknown_station_and_station_without_certificate():
    assert reason(station_id="ZJ-999") == Reason.STATION_UNKNOWN
    assert check(record(), calibrated=False) == [Reason.NO_CALIBRATION]


def test_a_day_before_the_rules_took_effect_has_no_determination():
    old = datetime(2015, 3, 1, 4, tzinfo=UTC)
    assert reason(passed_at=old) == Reason.NO_RULE


@pytest.mark.parametrize(("gross", "expected"), [(0, Reason.GROSS), (300_001, Reason.GROSS)])
def test_gross_outside_what_a_vehicle_can_weigh(gross, expected):
    assert reason(gross_kg=gross, axle_loads_kg=[gross // 6] * 5 + [gross - gross // 6 * 5]) == expected


def test_missing_essentials_are_malformed_and_the_first_failing_check_is_the_reason():
    assert reason(gross_kg=None) == Reason.MALFORMED
    assert reason(passed_at=None) == Reason.MALFORMED
    # Unknown station and an unreadable plate: the station is checked first.
    assert reason(station_id="ZJ-999", plate="未识别") == Reason.STATION_UNKNOWN


def test_a_record_without_id_is_keyed_by_its_content():
    first, second = records.parse(frame(record(record_id=None), record(record_id=None, plate="浙F99999")))[
        "record_id"
    ]
    assert first.startswith("无编号-") and len(first) == 28 and first != second
    again = records.parse(frame(record(record_id=None)))["record_id"][0]
    assert again == first  # the same record sent twice is found again


def test_every_reason_has_a_chinese_label():
    assert all(r.label and not r.label.isascii() for r in Reason)


# ── Files ────────────────────────────────────────────────────────────────────────────────────────────

HEADER = ",".join(records.COLUMNS)


def csv_line(r: dict[str, Any]) -> str:
    def text(v: Any) -> str:
        if v is None:
            return ""
        if isinstance(v, list):
            return ";".join(map(str, v))
        if isinstance(v, datetime):
            return v.astimezone(records_tz()).isoformat()
        return str(v).lower() if isinstance(v, bool) else str(v)

    return ",".join(text(r[n]) for n in records.COLUMNS)


def records_tz() -> Any:
    from zoneinfo import ZoneInfo

    return ZoneInfo("Asia/Shanghai")


def test_csv_reads_into_the_same_frame_as_pushed_records(tmp_path: Path):
    rows = [record(), record(record_id="R2", combination=None, single_drive_axle=None, video="12" * 32)]
    path = tmp_path / "records.csv"
    path.write_text("\n".join([HEADER, *map(csv_line, rows)]) + "\n", encoding="utf-8")
    from_csv = records.read(path)
    assert from_csv.equals(records.parse(frame(*rows)))
    assert from_csv["passed_at"][0] == NOON and from_csv["axle_loads_kg"][0].to_list()[-1] == 10400
    assert from_csv["combination"].to_list() == [True, None]


def test_a_malformed_csv_line_is_a_rejected_record_and_the_others_are_read(tmp_path: Path):
    good, bad_number, too_many, too_few = (csv_line(record(record_id=f"R{i}")) for i in range(1, 5))
    bad_number = bad_number.replace(",60000,", ",6OOOO,")  # letters O for zeros
    lines = [HEADER, good, bad_number, too_many + ",extra", too_few.rsplit(",", 5)[0]]
    path = tmp_path / "records.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    parsed = records.read(path)
    assert parsed["record_id"].to_list() == ["R1", "R2", "R3", "R4"]
    assert check_parsed(parsed) == [None, Reason.MALFORMED, Reason.MALFORMED, Reason.MALFORMED]
    raw = json.loads(parsed["raw"][1])
    assert raw["gross_kg"] == "6OOOO" and raw["record_id"] == "R2"  # the station's text, kept
    assert json.loads(parsed["raw"][2])[records.EXCESS] == "extra"
    assert parsed["raw"][0] is None


def check_parsed(parsed: pl.DataFrame) -> list[str | None]:
    tables = records.rule_tables(BOOK, [DAY])
    return records.validate(parsed.lazy(), tables, stations(), now=NOW).collect()["reject_reason"].to_list()


def test_a_timestamp_without_offset_is_malformed(tmp_path: Path):
    line = csv_line(record()).replace("T12:00:00+08:00", "T12:00:00")
    path = tmp_path / "naive.csv"
    path.write_text(f"{HEADER}\n{line}\n", encoding="utf-8")
    assert check_parsed(records.read(path)) == [Reason.MALFORMED]


def test_a_gbk_csv_from_a_spreadsheet_is_read(tmp_path: Path):
    path = tmp_path / "gbk.csv"
    path.write_bytes(f"{HEADER}\n{csv_line(record())}\n".encode("gbk"))
    assert records.read(path)["plate"].to_list() == ["浙F12345"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "是空的"),
        (b"record_id,station_id\nR1,ZJ-001\n", "缺少必需的列"),
        (b"PAR1 not really parquet", "无法读取"),
        (b"\xff\xfe\x00\x81\x00garbage", "编码无法识别"),
    ],
)
def test_an_unreadable_file_is_refused_in_chinese(tmp_path: Path, content: bytes, message: str):
    path = tmp_path / "bad.csv"
    path.write_bytes(content)
    with pytest.raises(JiafaError) as e:
        records.read(path)
    assert message in e.value.message


def test_parquet_with_list_columns_reads_like_csv(tmp_path: Path):
    path = tmp_path / "records.parquet"
    frame(record(), record(record_id="R2")).write_parquet(path)
    assert records.read(path).equals(records.parse(frame(record(), record(record_id="R2"))))


# ── The vectorised determination is law.overload.assess ──────────────────────────────────────────────

CLASSES = records.vehicle_classes(2, 10)


def vectorised(
    cases: list[tuple[Vehicle, int, date]], book: ruledata.RuleBook = BOOK
) -> list[dict[str, Any]]:
    rows = pl.DataFrame(
        {
            "axles": [v.axles for v, _, _ in cases],
            "combination": [v.combination for v, _, _ in cases],
            "single_drive_axle": [v.single_drive_axle for v, _, _ in cases],
            "gross_kg": [g for _, g, _ in cases],
            "day": [d for _, _, d in cases],
        },
        schema={
            "axles": pl.Int16,
            "combination": pl.Boolean,
            "single_drive_axle": pl.Boolean,
            "gross_kg": pl.Int32,
            "day": pl.Date,
        },
    )
    tables = records.rule_tables(book, {d for _, _, d in cases})
    return records.determine(rows.lazy(), tables).collect().to_dicts()


def same_as_assess(case: tuple[Vehicle, int, date], got: dict[str, Any], book: ruledata.RuleBook) -> None:
    vehicle, gross, day = case
    want = assess(vehicle, gross, Measurement.WIM, book, day)
    assert (got["limit_kg"], got["tolerance_kg"], got["judged_kg"], got["overload_kg"]) == (
        want.limit_kg,
        want.tolerance_kg,
        want.judged_kg,
        want.overload_kg,
    )
    rate = pl.select(records.overload_rate(pl.lit(got["overload_rate_scaled"], pl.Int64))).item()
    assert Decimal(rate) == want.overload_rate and rate == str(want.overload_rate)
    assert (got["outcome"], got["fine_steps"], got["fine_yuan"]) == (
        str(want.outcome),
        want.fine_steps,
        want.fine_yuan,
    )
    assert (got["hundred_tonne"], got["serious"]) == (want.hundred_tonne, want.serious)


cases = st.lists(
    st.tuples(
        st.sampled_from(CLASSES),
        st.one_of(st.integers(1, 300_000), st.integers(17_000, 60_000)),
        st.dates(date(2016, 9, 21), date(2030, 12, 31)),
    ),
    min_size=1,
    max_size=40,
)


@given(cases)
@settings(max_examples=60, deadline=None)
def test_vectorised_determination_equals_assess_field_by_field(batch):
    for case, got in zip(batch, vectorised(batch), strict=True):
        same_as_assess(case, got, BOOK)


def bureau_book(tmp_path: Path) -> ruledata.RuleBook:
    """A bureau that counts a part-tonne as a whole one and deducts 8%, from 2024."""
    override = {
        "law": "某省治超办法",
        "rules": [
            {
                "key": "overload.penalty.part_step",
                "value": "ceil",
                "article": "第九条",
                "effective_from": "2024-01-01",
            },
            {
                "key": "overload.wim_tolerance",
                "value": 0.08,
                "article": "第十条",
                "effective_from": "2024-01-01",
            },
        ],
    }
    (tmp_path / "bureau.json").write_text(json.dumps(override, ensure_ascii=False), encoding="utf-8")
    return ruledata.load(ruledata.PACKAGED, tmp_path)


@given(batch=cases)
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_vectorised_determination_follows_the_bureaus_rule_data(tmp_path: Path, batch):
    book = bureau_book(tmp_path)
    for case, got in zip(batch, vectorised(batch, book), strict=True):
        same_as_assess(case, got, book)


def test_the_classic_cases():
    truck = (Vehicle(6, True), 60000, DAY)
    band = (Vehicle(2), 19950, DAY)  # 19,950 − 998 = 18,952: 952 kg over → warning
    hundred = (Vehicle(6, True), 104_000, DAY)
    got = vectorised([truck, band, hundred])
    assert (got[0]["overload_kg"], got[0]["fine_yuan"], got[0]["outcome"]) == (8000, 4000, "fine")
    assert (got[1]["overload_kg"], got[1]["outcome"], got[1]["fine_yuan"]) == (952, "warning", 0)
    assert got[2]["hundred_tonne"] and got[2]["serious"] and got[2]["fine_yuan"] == 24500


@given(st.sampled_from(CLASSES), st.integers(1, 300_000))
@settings(max_examples=100, deadline=None)
def test_the_fine_never_exceeds_30000_yuan(vehicle, gross):
    got = vectorised([(vehicle, gross, DAY)])[0]
    assert 0 <= got["fine_yuan"] <= 30000
    assert got["outcome"] in {str(o) for o in Outcome}


# ── Any record: a determination or a reason ──────────────────────────────────────────────────────────

texts = st.one_of(st.none(), st.text(max_size=8), st.sampled_from(["浙F12345", "未识别", "ZJ-001", "R1"]))
any_record = st.fixed_dictionaries(
    {
        "record_id": st.one_of(st.none(), st.text(min_size=1, max_size=70)),
        "station_id": st.sampled_from([STATION, "ZJ-999", None]),
        "lane": st.one_of(st.none(), st.integers(-5, 40_000)),
        "passed_at": st.one_of(
            st.none(), st.datetimes(datetime(1990, 1, 1), datetime(2031, 1, 1), timezones=st.just(UTC))
        ),
        "plate": texts,
        "plate_color": st.sampled_from(["黄", "蓝", None]),
        "plate_confidence": st.one_of(st.none(), st.floats(-1, 2, allow_nan=False)),
        "axles": st.one_of(st.none(), st.integers(-3, 40_000)),
        "combination": st.sampled_from([True, False, None]),
        "single_drive_axle": st.sampled_from([True, False, None]),
        "gross_kg": st.one_of(st.none(), st.integers(-10, 400_000)),
        "axle_loads_kg": st.one_of(st.none(), st.lists(st.integers(-100, 80_000), max_size=12)),
        "axle_spacings_mm": st.one_of(st.none(), st.lists(st.integers(-100, 20_000), max_size=12)),
        "speed_kmh": st.one_of(st.none(), st.floats(-10, 300, allow_nan=False)),
        "length_mm": st.one_of(st.none(), st.integers(0, 30_000)),
        "width_mm": st.one_of(st.none(), st.integers(0, 4_000)),
        "height_mm": st.one_of(st.none(), st.integers(0, 5_000)),
        "photo_front": st.sampled_from([SHA, None, "xyz"]),
        "photo_side": st.sampled_from([SHA, None]),
        "photo_rear": st.sampled_from([SHA, "ab" * 40]),
        "video": st.sampled_from([None, SHA, "bad"]),
    }
)


@given(st.lists(any_record, min_size=1, max_size=20))
@settings(max_examples=80, deadline=None)
def test_any_record_yields_a_determination_or_a_reason(rows):
    parsed = records.parse(frame(*rows))
    days = parsed.select(records.local_day()).to_series().drop_nulls().unique().to_list()
    tables = records.rule_tables(BOOK, days)
    checked = records.validate(parsed.lazy(), tables, stations(days=tuple(sorted(days))), now=NOW).collect()
    known = {str(r) for r in Reason}
    assert set(checked["reject_reason"].drop_nulls()) <= known
    valid = checked.filter(pl.col("reject_reason").is_null())
    judged = records.determine(valid.lazy(), tables).collect()
    assert judged["outcome"].null_count() == 0 and judged["limit_kg"].null_count() == 0
    for row in judged.iter_rows(named=True):  # and it is the law module's determination
        vehicle = Vehicle(row["axles"], row["judged_combination"], row["judged_single_drive"])
        same_as_assess((vehicle, row["gross_kg"], row["day"]), row, BOOK)


# ── Trips ────────────────────────────────────────────────────────────────────────────────────────────


def passes(*rows: tuple[str, str, str, datetime, int]) -> pl.DataFrame:
    return pl.DataFrame(
        [
            {
                "record_id": rid,
                "plate": plate,
                "plate_color": color,
                "passed_at": at,
                "overload_kg": over,
                "overload_rate_scaled": over * 10000 // 49000,
                "trip_window_s": 4 * 3600,
            }
            for rid, plate, color, at, over in rows
        ]
    )


def test_passes_within_the_window_of_each_other_are_one_trip():
    t = NOON
    numbered = records.trips(
        passes(
            ("A1", "浙F1", "黄", t, 3000),
            ("A2", "浙F1", "黄", t + timedelta(hours=4), 9000),  # exactly the window: same trip
            ("A3", "浙F1", "黄", t + timedelta(hours=8, seconds=1), 2000),  # 4 h 1 s after A2: a new trip
            ("B1", "浙F1", "蓝", t + timedelta(minutes=30), 5000),  # another colour, another vehicle
        )
    )
    trips = {r["record_id"]: r["trip"] for r in numbered.iter_rows(named=True)}
    assert trips["A1"] == trips["A2"] != trips["A3"]
    assert trips["B1"] not in {trips["A1"], trips["A3"]}
    worst = records.worst_of_trips(numbered).sort("record_id")
    assert worst["record_id"].to_list() == ["A2", "A3", "B1"]  # the heaviest of each trip
    assert worst.filter(pl.col("record_id") == "A2")["trip_record_ids"][0].to_list() == ["A1", "A2"]


def test_equal_overloads_keep_the_earliest_pass():
    numbered = records.trips(
        passes(("X2", "浙F2", "黄", NOON + timedelta(hours=1), 5000), ("X1", "浙F2", "黄", NOON, 5000))
    )
    assert records.worst_of_trips(numbered)["record_id"].to_list() == ["X1"]


def test_blank_lines_are_skipped_and_quoted_commas_are_text(tmp_path: Path):
    quoted = csv_line(record(record_id="R2")).replace("R2", '"R,2"', 1)
    path = tmp_path / "records.csv"
    path.write_text("\n".join([HEADER, csv_line(record()), "", quoted, ""]) + "\n", encoding="utf-8")
    parsed = records.read(path)
    assert parsed["record_id"].to_list() == ["R1", "R,2"]
    assert check_parsed(parsed) == [None, None]
