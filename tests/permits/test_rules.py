"""The bridge check against hand calculations (JTG D60-2015 lane load, influence lines of a simply supported
span) and properties that hold for any vehicle."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law import ruledata
from jiafa.permits.rules import (
    DesignLoad,
    Effect,
    LaneLoad,
    Span,
    Vehicle,
    check,
    resolve_design_load,
    vehicle_effects,
)

BOOK = ruledata.load(ruledata.PACKAGED)
DAY = date(2024, 6, 1)
LANE = LaneLoad.in_force(BOOK, DAY)
# JTG D60-2015 §4.3.1 standard vehicle (车辆荷载): 550 kN on five axles.
STANDARD = Vehicle.of([30, 120, 120, 140, 140], [3.0, 1.4, 7.0, 1.4])


def effects(vehicle: Vehicle, span: float) -> tuple[float, float, float]:
    e = vehicle_effects(vehicle, [span])
    return float(e.moment_knm[0]), float(e.moment_at_m[0]), float(e.shear_kn[0])


# ── Hand calculations ────────────────────────────────────────────────────────────────────────────────


def test_single_axle_at_midspan_gives_pl_over_4_and_full_load_as_shear() -> None:
    moment, at, shear = effects(Vehicle.of([100], []), 20.0)
    assert moment == pytest.approx(500.0)  # 100 × 20 / 4
    assert at == pytest.approx(10.0)
    assert shear == pytest.approx(100.0)  # the axle standing on the support


def test_two_axle_pair_absolute_maximum_is_off_midspan() -> None:
    # Two 100 kN axles 4 m apart on 20 m: midspan halfway between one axle and the resultant puts that axle
    # at 10 − 4/4 = 9 m from its support: R = 200 × 9 / 20 = 90 kN, M = 90 × 9... by symmetry the other axle
    # at 11 m from the left: M = (P / 2L)(L − a/2)² = 100/40 × 18² = 810 kN·m, above the 800 kN·m with the
    # pair centred on midspan.
    moment, at, shear = effects(Vehicle.of([100, 100], [4.0]), 20.0)
    assert moment == pytest.approx(810.0)
    assert min(at, 20 - at) == pytest.approx(9.0)
    assert shear == pytest.approx(180.0)  # 100 + 100 × 16 / 20


def test_two_axles_far_apart_fall_back_to_one_axle_at_midspan() -> None:
    # a = 14 m > (2 − √2) L = 11.7 m: one axle alone at midspan governs, 100 × 20 / 4.
    moment, _, _ = effects(Vehicle.of([100, 100], [14.0]), 20.0)
    assert moment == pytest.approx(500.0)


def test_standard_550_kn_vehicle_on_a_20_m_span() -> None:
    # All five axles on the span; resultant 4276 / 550 = 7.7745 m behind the first axle, the fourth axle
    # (140 kN, 11.4 m behind) 3.6255 m behind the resultant: it stands at (20 − 3.6255) / 2 = 8.1873 m from
    # its support, R = 550 × 8.1873 / 20 = 225.15 kN, M = 225.15 × 8.1873 − 140 × 1.4 = 1647.36 kN·m.
    moment, at, shear = effects(STANDARD, 20.0)
    assert moment == pytest.approx(1647.364, abs=0.01)
    assert min(at, 20 - at) == pytest.approx(8.1873, abs=1e-3)
    # A 140 kN axle on the support, the vehicle crossing rear first:
    # (140·20 + 140·18.6 + 120·11.6 + 120·10.2 + 30·7.2) / 20 = 411.8 kN.
    assert shear == pytest.approx(411.8)


def test_lane_load_design_effects_on_a_20_m_span() -> None:
    # P_k = 2 (20 + 130) = 300 kN; M = 10.5 · 20² / 8 + 300 · 20 / 4 = 2025; V = 10.5 · 10 + 1.2 · 300 = 465.
    moment, shear = LANE.design_effects(np.array([20.0, 20.0]), [DesignLoad.I, DesignLoad.II])
    assert moment.tolist() == pytest.approx([2025.0, 0.75 * 2025.0])
    assert shear.tolist() == pytest.approx([465.0, 0.75 * 465.0])


@pytest.mark.parametrize(
    ("span", "p_k"), [(3.0, 270.0), (5.0, 270.0), (20.0, 300.0), (50.0, 360.0), (80.0, 360.0)]
)
def test_concentrated_load_by_span(span: float, p_k: float) -> None:
    assert float(LANE.concentrated_kn(np.array([span]))[0]) == pytest.approx(p_k)


def test_standard_vehicle_check_governed_by_shear_against_the_red_line() -> None:
    strict, lenient = check(STANDARD, [Span(20.0, DesignLoad.I, 0.85), Span(20.0, DesignLoad.I, 1.0)], LANE)
    assert strict.moment_ratio == pytest.approx(1647.364 / 2025, abs=1e-5)
    assert strict.shear_ratio == pytest.approx(411.8 / 465)
    assert strict.governing is Effect.SHEAR
    assert not strict.passes  # 0.886 > 0.85
    assert lenient.passes
    assert "控制效应为剪力" in strict.explanation and "不通过" in strict.explanation
    data = strict.as_dict()
    assert data["passes"] is False and data["governing"] == "shear" and data["shear_ratio"] == 0.8856


def test_class_ii_bridge_fails_a_vehicle_a_class_i_bridge_carries() -> None:
    heavy = STANDARD.scaled(1.1)  # shear ratio 0.974 on 公路-I级, 0.974 / 0.75 = 1.30 on 公路-II级
    one, two = check(heavy, [Span(20.0, DesignLoad.I, 1.0), Span(20.0, DesignLoad.II, 1.0)], LANE)
    assert one.passes and not two.passes


def test_design_load_classes_old_ones_mapped_by_rule() -> None:
    assert resolve_design_load("公路-I级", BOOK, DAY) == (DesignLoad.I, None)
    assert resolve_design_load("公路-Ⅱ级", BOOK, DAY)[0] is DesignLoad.II
    assert resolve_design_load("公路—Ⅰ级", BOOK, DAY)[0] is DesignLoad.I
    assert resolve_design_load(" II ", BOOK, DAY)[0] is DesignLoad.II
    assert resolve_design_load("汽车—20", BOOK, DAY)[0] is DesignLoad.II
    mapped, rule = resolve_design_load("汽车-超20级", BOOK, DAY)
    assert mapped is DesignLoad.I and rule is not None and rule.verified is False
    with pytest.raises(JiafaError) as e:
        resolve_design_load("汽车-10级", BOOK, DAY)
    assert e.value.code is ErrorCode.BRIDGE_DATA_INVALID and "桥梁工程师" in e.value.message


# ── Refused input ────────────────────────────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("loads", "spacings", "words"),
    [
        ([100, 100], [], "应有 1 个轴距"),
        ([100], [3.0], "应有 0 个轴距"),
        ([100, -5], [3.0], "第 2 轴轴荷"),
        ([100, 0], [3.0], "第 2 轴轴荷"),
        ([100, math.nan], [3.0], "第 2 轴轴荷"),
        ([100, 100], [0.0], "轴距"),
        ([100, 100], [-1.0], "轴距"),
        ([], [], "轴数"),
    ],
)
def test_bad_axle_layouts_are_refused_in_chinese(
    loads: list[float], spacings: list[float], words: str
) -> None:
    with pytest.raises(JiafaError) as e:
        Vehicle.of(loads, spacings)
    assert e.value.code is ErrorCode.AXLE_LAYOUT_INVALID
    assert words in e.value.message


@pytest.mark.parametrize(
    ("span", "red_line"), [(0.0, 1.0), (-10.0, 1.0), (math.inf, 1.0), (20.0, 0.0), (20.0, -1)]
)
def test_bad_bridges_are_refused(span: float, red_line: float) -> None:
    with pytest.raises(JiafaError) as e:
        Span(span, DesignLoad.I, red_line)
    assert e.value.code is ErrorCode.BRIDGE_DATA_INVALID


# ── Properties ───────────────────────────────────────────────────────────────────────────────────────

loads_kn = st.floats(min_value=1.0, max_value=500.0)
spacings_m = st.floats(min_value=0.5, max_value=15.0)
spans_m = st.floats(min_value=1.0, max_value=80.0)


@st.composite
def vehicles(draw: st.DrawFn) -> Vehicle:
    n = draw(st.integers(min_value=1, max_value=8))
    return Vehicle.of(
        draw(st.lists(loads_kn, min_size=n, max_size=n)),
        draw(st.lists(spacings_m, min_size=n - 1, max_size=n - 1)),
    )


def statics(vehicle: Vehicle, span: float, front: float) -> tuple[float, float]:
    """Written independently of the module: reactions by equilibrium, the moment under each axle by the
    free body left of it. Returns (largest moment under an axle, largest reaction)."""
    axles = [(p, front - d) for p, d in zip(vehicle.axle_loads_kn, vehicle.offsets(), strict=True)]
    on = [(p, x) for p, x in axles if 0 <= x <= span]
    r_left = sum(p * (span - x) for p, x in on) / span
    r_right = sum(p * x for p, x in on) / span
    moments = [r_left * x - sum(q * (x - y) for q, y in on if y < x) for _, x in on]
    return max(moments, default=0.0), max(r_left, r_right)


@settings(max_examples=200, deadline=None)
@given(vehicle=vehicles(), span=spans_m, where=st.floats(min_value=0.0, max_value=1.0))
def test_no_vehicle_position_exceeds_the_computed_maxima(vehicle: Vehicle, span: float, where: float) -> None:
    moment, _, shear = effects(vehicle, span)
    m, v = statics(vehicle, span, where * (vehicle.length_m + span))
    assert m <= moment * (1 + 1e-9) + 1e-9
    assert v <= shear * (1 + 1e-9) + 1e-9


@settings(max_examples=200, deadline=None)
@given(p=loads_kn, span=spans_m, x=st.floats(0.0, 1.0), a=st.floats(0.0, 1.0))
def test_a_single_load_anywhere_never_exceeds_pl_over_4(p: float, span: float, x: float, a: float) -> None:
    moment, _, _ = effects(Vehicle.of([p], []), span)
    assert moment == pytest.approx(p * span / 4)
    m, _ = statics(Vehicle.of([p], []), span, a * span)
    assert m <= p * span / 4 * (1 + 1e-12)


@settings(max_examples=200, deadline=None)
@given(p=loads_kn, span=spans_m, gap=st.floats(0.01, 0.58))
def test_equal_pair_matches_the_closed_form(p: float, span: float, gap: float) -> None:
    a = gap * span  # below (2 − √2) L the pair governs: M = (P / 2L)(L − a/2)²
    moment, _, _ = effects(Vehicle.of([p, p], [a]), span)
    assert moment == pytest.approx(p / (2 * span) * (span - a / 2) ** 2, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(vehicle=vehicles(), span=spans_m, factor=st.floats(min_value=0.1, max_value=3.0))
def test_scaling_the_loads_scales_the_effects(vehicle: Vehicle, span: float, factor: float) -> None:
    moment, _, shear = effects(vehicle, span)
    scaled_moment, _, scaled_shear = effects(vehicle.scaled(factor), span)
    assert scaled_moment == pytest.approx(factor * moment, rel=1e-9)
    assert scaled_shear == pytest.approx(factor * shear, rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(vehicle=vehicles(), span=spans_m)
def test_crossing_backwards_gives_the_same_effects(vehicle: Vehicle, span: float) -> None:
    backwards = Vehicle.of(vehicle.axle_loads_kn[::-1], vehicle.axle_spacings_m[::-1])
    assert effects(backwards, span)[0] == pytest.approx(effects(vehicle, span)[0], rel=1e-9)
    assert effects(backwards, span)[2] == pytest.approx(effects(vehicle, span)[2], rel=1e-9)


@settings(max_examples=100, deadline=None)
@given(
    loads=st.lists(st.one_of(loads_kn, st.floats(max_value=0.0), st.just(math.nan)), min_size=0, max_size=6),
    spacings=st.lists(st.one_of(spacings_m, st.floats(max_value=0.0)), min_size=0, max_size=6),
)
def test_any_axle_list_is_accepted_or_refused_with_a_reason(
    loads: list[float], spacings: list[float]
) -> None:
    valid = len(loads) >= 1 and len(spacings) == len(loads) - 1
    valid = valid and all(p > 0 for p in loads) and all(s > 0 for s in spacings)
    try:
        vehicle = Vehicle.of(loads, spacings)
    except JiafaError as e:
        assert not valid and e.code is ErrorCode.AXLE_LAYOUT_INVALID and e.message
    else:
        assert valid and vehicle.gross_kn == pytest.approx(sum(loads))
