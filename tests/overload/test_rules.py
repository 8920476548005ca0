"""The overload determination (超限运输车辆行驶公路管理规定 Arts. 3 and 43) on the packaged rule data: pure,
no database."""

import json
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law import ruledata
from jiafa.law.overload import Measurement, Outcome, Vehicle, assess

BOOK = ruledata.load(ruledata.PACKAGED)
DAY = date(2025, 6, 1)
LAW = "超限运输车辆行驶公路管理规定"
ART_43 = {"law": LAW, "article": "第四十三条第一款第二项"}
WIM_SETTING = {
    "law": "动态公路车辆自动衡器检定规程（JJG 907-2006）",
    "article": "最大允许误差（按准确度等级）",
}
STATIC, WIM = Measurement.STATIC, Measurement.WIM
SEVERITY = {Outcome.NONE: 0, Outcome.WARNING: 1, Outcome.FINE: 2}


def judge(axles, gross_kg, *, combination=False, single_drive=False, measurement=STATIC, book=BOOK, on=DAY):
    return assess(Vehicle(axles, combination, single_drive), gross_kg, measurement, book, on)


# (axles, combination, single drive axle, limit, Art. 3(1) item)
ART_3_ROWS = [
    (2, False, False, 18000, "第三条第一款第四项"),
    (3, False, False, 25000, "第三条第一款第五项"),
    (3, True, False, 27000, "第三条第一款第五项"),
    (4, False, False, 31000, "第三条第一款第六项"),
    (4, True, False, 36000, "第三条第一款第六项"),
    (5, False, False, 43000, "第三条第一款第七项"),
    (5, True, False, 43000, "第三条第一款第七项"),
    (6, False, False, 49000, "第三条第一款第八项"),
    (6, True, False, 49000, "第三条第一款第八项"),
    (9, True, False, 49000, "第三条第一款第八项"),
    (6, True, True, 46000, "第三条第一款第八项"),
    (7, True, True, 46000, "第三条第一款第八项"),
]


@pytest.mark.parametrize(("axles", "combination", "single_drive", "limit", "article"), ART_3_ROWS)
def test_at_the_limit_is_not_overload(axles, combination, single_drive, limit, article):
    result = judge(axles, limit, combination=combination, single_drive=single_drive)
    assert (result.limit_kg, result.overload_kg, result.outcome, result.fine_yuan) == (
        limit,
        0,
        Outcome.NONE,
        0,
    )
    assert not result.is_overload
    assert result.basis == [{"law": LAW, "article": article}]  # no penalty article when there is no penalty


@pytest.mark.parametrize(("axles", "combination", "single_drive", "limit", "article"), ART_3_ROWS)
def test_one_kg_over_the_limit_is_a_warning(axles, combination, single_drive, limit, article):
    result = judge(axles, limit + 1, combination=combination, single_drive=single_drive)
    assert (result.overload_kg, result.outcome, result.fine_yuan) == (1, Outcome.WARNING, 0)
    assert result.is_overload
    assert result.basis == [{"law": LAW, "article": article}, ART_43]


@pytest.mark.parametrize(
    ("over_kg", "outcome", "fine_yuan"),
    [
        (1000, Outcome.WARNING, 0),
        (1001, Outcome.FINE, 500),  # the whole overload counts: one full 1,000 kg
        (1999, Outcome.FINE, 500),  # a part-tonne is not counted (default setting)
        (2000, Outcome.FINE, 1000),
        (8500, Outcome.FINE, 4000),
        (59999, Outcome.FINE, 29500),
        (60000, Outcome.FINE, 30000),
        (61000, Outcome.FINE, 30000),  # capped
        (130000, Outcome.FINE, 30000),
    ],
)
def test_art_43_warning_band_steps_and_cap(over_kg, outcome, fine_yuan):
    result = judge(6, 49000 + over_kg, combination=True)
    assert (result.overload_kg, result.outcome, result.fine_yuan) == (over_kg, outcome, fine_yuan)


def test_the_explanation_walks_through_the_determination():
    fined = judge(6, 60000, combination=True, measurement=WIM)
    assert fined.explanation == (
        "6轴汽车列车限值49000千克（第三条第一款第八项）；"
        "动态称重车货总质量60000千克，扣除5%计量误差3000千克后为57000千克；超限8000千克，超限率16.32%；"
        "依第四十三条第一款第二项每超1000千克罚款500元，计8个1000千克，罚款4000元。"
    )
    warned = judge(4, 31800)
    assert warned.explanation == (
        "4轴货车限值31000千克（第三条第一款第六项）；静态称重车货总质量31800千克；超限800千克，超限率2.58%；"
        "超限未超过1000千克，依第四十三条第一款第二项予以警告。"
    )
    assert "（不足1000千克的部分不计）" in judge(2, 19500).explanation
    capped = judge(6, 130000)
    assert "计81个1000千克，合40500元，超过最高限额，罚款30000元" in capped.explanation


def test_wim_deducts_the_tolerance_before_judging():
    static = judge(6, 51000, combination=True)
    assert (static.overload_kg, static.outcome, static.fine_yuan) == (2000, Outcome.FINE, 1000)
    wim = judge(6, 51000, combination=True, measurement=WIM)
    assert (wim.tolerance_kg, wim.judged_kg, wim.overload_kg, wim.outcome) == (2550, 48450, 0, Outcome.NONE)
    assert wim.basis == [{"law": LAW, "article": "第三条第一款第八项"}, WIM_SETTING]
    assert static.tolerance_kg == 0 and WIM_SETTING not in static.basis


def test_wim_tolerance_is_rounded_up_to_the_kilogram_in_the_partys_favour():
    result = judge(6, 48999, combination=True, single_drive=True, measurement=WIM)  # 5% = 2449.95 kg
    assert (result.tolerance_kg, result.judged_kg, result.overload_kg) == (2450, 46549, 549)


def test_the_reports_171_percent_example():
    result = judge(2, 48780)
    assert result.overload_kg == 30780
    assert result.overload_rate == Decimal("1.71") and result.as_dict()["overload_rate"] == 1.71
    assert (result.fine_yuan, result.serious, result.hundred_tonne) == (15000, True, False)
    assert "超限率171%" in result.explanation and "属严重违法超限超载" in result.explanation


def test_serious_overload_starts_at_100_percent_and_the_rate_never_rounds_up():
    at_double = judge(2, 36000)
    assert (at_double.overload_rate, at_double.serious) == (Decimal("1"), True)
    just_below = judge(2, 35999)  # 17,999 / 18,000 = 0.99994…
    assert (just_below.overload_rate, just_below.serious) == (Decimal("0.9999"), False)


def test_hundred_tonne_flag_uses_the_measured_gross():
    assert not judge(6, 99999, combination=True).hundred_tonne
    assert judge(6, 100000, combination=True).hundred_tonne
    wim = judge(6, 100000, combination=True, measurement=WIM)
    assert wim.judged_kg == 95000 and wim.hundred_tonne
    assert "属“百吨王”" in wim.explanation


def test_flags_are_false_before_their_rule_takes_effect():
    serious_from = BOOK.versions("overload.serious_rate")[0].effective_from
    before = judge(2, 40000, on=serious_from - timedelta(days=1))
    assert (before.overload_rate > 1, before.serious, before.fine_yuan) == (True, False, 11000)
    assert judge(2, 40000, on=serious_from).serious


@pytest.mark.parametrize(
    ("axles", "combination", "single_drive", "code"),
    [
        (1, False, False, ErrorCode.INVALID_AXLE_COUNT),
        (0, False, False, ErrorCode.INVALID_AXLE_COUNT),
        (-6, False, False, ErrorCode.INVALID_AXLE_COUNT),
        (21, True, False, ErrorCode.INVALID_AXLE_COUNT),
        (2, True, False, ErrorCode.INVALID_AXLE_COUNT),  # a tractor and trailer has at least 3 axles
        (5, True, True, ErrorCode.SINGLE_DRIVE_AXLE_NOT_APPLICABLE),
        (3, True, True, ErrorCode.SINGLE_DRIVE_AXLE_NOT_APPLICABLE),
        (6, False, True, ErrorCode.SINGLE_DRIVE_AXLE_NOT_APPLICABLE),  # no tractor without a combination
    ],
)
def test_impossible_vehicles_are_refused_with_a_reason(axles, combination, single_drive, code):
    with pytest.raises(JiafaError) as e:
        Vehicle(axles, combination, single_drive)
    assert e.value.code == code and e.value.status == 422
    assert "请核对轴数和车型" in e.value.message or "轴数应在 2 至 20 之间" in e.value.message


@pytest.mark.parametrize("gross_kg", [0, -1, 300001, 10**12])
def test_absurd_gross_weights_are_refused(gross_kg):
    with pytest.raises(JiafaError) as e:
        judge(6, gross_kg)
    assert e.value.code == ErrorCode.INVALID_GROSS_WEIGHT
    assert e.value.message.startswith("车货总质量应大于 0 且不超过 300000 千克")


def test_the_heaviest_plausible_gross_is_judged():
    assert judge(6, 300000).fine_yuan == 30000


def test_a_weighing_before_the_regulation_took_effect_is_refused():
    with pytest.raises(JiafaError) as e:
        judge(2, 40000, on=date(2016, 9, 20))
    assert e.value.code == ErrorCode.NO_RULE_IN_FORCE and "2016-09-20" in e.value.message
    assert judge(2, 40000, on=date(2016, 9, 21)).fine_yuan == 11000


def _bureau_book(tmp_path, *rules):
    (tmp_path / "bureau.json").write_text(
        json.dumps({"law": "本局设定", "rules": list(rules)}, ensure_ascii=False), encoding="utf-8"
    )
    return ruledata.load(ruledata.PACKAGED, tmp_path)


def test_a_bureau_can_count_part_tonnes_and_change_the_tolerance(tmp_path):
    book = _bureau_book(
        tmp_path,
        {
            "key": "overload.penalty.part_step",
            "value": "ceil",
            "law": LAW,
            "article": "第四十三条第一款第二项",
            "effective_from": "2016-09-21",
        },
        {
            "key": "overload.wim_tolerance",
            "value": 0.08,
            "law": "某省治超办法",
            "article": "第十条",
            "effective_from": "2016-09-21",
        },
    )
    ceil = judge(6, 50001, combination=True, book=book)
    assert (ceil.outcome, ceil.fine_steps, ceil.fine_yuan) == (Outcome.FINE, 2, 1000)
    assert "不足1000千克的部分按1000千克计" in ceil.explanation
    assert judge(6, 51000, combination=True, book=book).fine_yuan == 1000  # whole tonnes unchanged
    wim = judge(6, 60000, combination=True, measurement=WIM, book=book)
    assert (wim.tolerance_kg, wim.overload_kg) == (4800, 6200)
    assert {"law": "某省治超办法", "article": "第十条"} in wim.basis
    assert "扣除8%计量误差4800千克" in wim.explanation


def test_a_new_version_applies_from_its_date_only(tmp_path):
    book = _bureau_book(
        tmp_path,
        {
            "key": "overload.limit.2_axles",
            "value": 20000,
            "law": LAW,
            "article": "第三条第一款第四项",
            "effective_from": "2030-01-01",
        },
    )
    assert judge(2, 19500, book=book, on=date(2029, 12, 31)).outcome == Outcome.FINE
    assert judge(2, 19500, book=book, on=date(2030, 1, 1)).outcome == Outcome.NONE


def test_a_broken_part_step_setting_is_a_configuration_fault_not_a_silent_default(tmp_path):
    book = _bureau_book(
        tmp_path,
        {
            "key": "overload.penalty.part_step",
            "value": "round",
            "article": "第四十三条",
            "effective_from": "2016-09-21",
        },
    )
    with pytest.raises(ruledata.RuleDataError, match="part_step"):
        judge(2, 20000, book=book)


def test_packaged_rules_mark_what_was_checked_against_the_text():
    keys = [k for k in BOOK.keys() if k.startswith("overload.")]  # noqa: SIM118 (a RuleBook, not a dict)
    overload_rules = {k: BOOK.get(k, on=DAY) for k in keys}
    settings = {
        "overload.penalty.part_step",
        "overload.wim_tolerance",
        "overload.hundred_tonne_kg",
        "overload.serious_rate",
    }
    assert settings < set(overload_rules)
    assert {k for k, r in overload_rules.items() if not r.verified} == settings
    assert all(
        r.law == LAW for k, r in overload_rules.items() if k.startswith(("overload.limit", "overload.pen"))
    )


# Properties over the whole input space.


@st.composite
def vehicles(draw: st.DrawFn) -> Vehicle:
    """Every vehicle Art. 3 knows: a combination has 3 or more axles, a single drive axle needs 6 or more."""
    axles = draw(st.integers(2, 20))
    combination = axles >= 3 and draw(st.booleans())
    return Vehicle(axles, combination, combination and axles >= 6 and draw(st.booleans()))


grosses = st.integers(1, 300000)
measurements = st.sampled_from(Measurement)


@given(vehicles(), grosses, measurements)
def test_fine_is_whole_steps_of_500_capped_at_30000_and_consistent(vehicle, gross_kg, measurement):
    result = assess(vehicle, gross_kg, measurement, BOOK, DAY)
    assert 0 <= result.fine_yuan <= 30000 and result.fine_yuan % 500 == 0
    assert result.is_overload == (result.outcome != Outcome.NONE) == (result.overload_kg > 0)
    assert (result.fine_yuan > 0) == (result.outcome == Outcome.FINE) == (result.overload_kg > 1000)
    assert result.serious == (result.overload_kg >= result.limit_kg)
    assert result.judged_kg - result.overload_kg <= result.limit_kg


@given(vehicles(), grosses, grosses, measurements)
def test_a_heavier_vehicle_is_never_judged_more_leniently(vehicle, a, b, measurement):
    lighter, heavier = (assess(vehicle, g, measurement, BOOK, DAY) for g in sorted((a, b)))
    assert lighter.overload_kg <= heavier.overload_kg
    assert SEVERITY[lighter.outcome] <= SEVERITY[heavier.outcome]
    assert lighter.fine_yuan <= heavier.fine_yuan


@given(vehicles(), grosses)
def test_weigh_in_motion_is_never_harsher_than_a_static_weighing(vehicle, gross_kg):
    static, wim = (assess(vehicle, gross_kg, m, BOOK, DAY) for m in (STATIC, WIM))
    assert wim.overload_kg <= static.overload_kg
    assert SEVERITY[wim.outcome] <= SEVERITY[static.outcome]
    assert wim.fine_yuan <= static.fine_yuan


@given(st.integers(), st.booleans(), st.booleans(), st.integers(), measurements, st.dates())
def test_any_input_is_judged_or_refused_with_a_code(
    axles, combination, single_drive, gross_kg, measurement, on
):
    try:
        result = assess(Vehicle(axles, combination, single_drive), gross_kg, measurement, BOOK, on)
    except JiafaError as e:
        assert e.status == 422 and e.message
        return
    assert 2 <= axles <= 20 and 0 < gross_kg <= 300000 and on >= date(2016, 9, 21)
    assert result.limit_kg in {18000, 25000, 27000, 31000, 36000, 43000, 46000, 49000}
