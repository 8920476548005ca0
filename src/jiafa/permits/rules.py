"""The bridge check (桥梁荷载校核) for an oversize vehicle: its axles moved across each simply supported span,
the largest static bending moment and end shear, compared with the 公路-I / 公路-II lane-load design effect
(JTG D60-2015 §4.3.1) and the bridge's red-line ratio (荷载红线).

Pure: no Django, no database, no clock. Units: loads in kN, lengths in m, moments in kN·m. Every standard's
number comes from the rulebook (law/data/rules/bridges.json); every refusal of input is a JiafaError with a
Chinese message.

The engineering, exactly (no position grid):
- Moment. For a fixed vehicle position the bending moment along the span is piecewise linear with its peaks
  under the axles, so the absolute maximum is the moment under some axle k at some position s of the
  vehicle. While the set of axles on the span does not change, that moment is a concave quadratic in s whose
  vertex puts midspan halfway between axle k and the resultant of the axles on the span (the classical rule
  for absolute maximum moment). The set changes only where an axle reaches a support; the moment under an
  axle is continuous there, so the maximum is the best of the vertices clipped into each stretch between
  two such breakpoints — n axles give at most 2n − 1 stretches, each evaluated in closed form.
- Shear. A support reaction is linear in s between breakpoints, so its maximum is at a breakpoint, with an
  axle standing on the support (the limit just inside the span). Both supports are checked, which is the
  same as the vehicle crossing in either direction.
- Design effect of one lane: M = q_k·L²/8 + P_k·L/4, V = q_k·L/2 + 1.2·P_k (P_k at the support).
- The impact factor μ of JTG D60 §4.3.2 depends on the bridge's frequency and applies to the vehicle and the
  design lane load alike, so it cancels in the ratio: effects are compared static to static.
- A bridge passes when both ratios (vehicle effect ÷ design effect) are within its red-line ratio; the
  governing effect is the one with the larger ratio.

Vectorised across bridges with NumPy: one vehicle against a few hundred spans is a handful of array
operations.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law.calendar import NoScheduleError, WorkCalendar
from jiafa.law.ruledata import Rule, RuleBook, RuleDataError

Array = npt.NDArray[np.float64]

# Plausibility bounds on input, not engineering rules: outside them is a typing error, never a vehicle or a
# simply supported span to judge.
MAX_AXLES = 80
MAX_AXLE_LOAD_KN = 2000.0
MAX_SPACING_M = 50.0
MIN_SPAN_M, MAX_SPAN_M = 0.5, 200.0
MAX_RED_LINE_RATIO = 3.0
FIGURE_DECIMALS, RATIO_DECIMALS = 2, 4


class DesignLoad(StrEnum):
    I = "I"  # noqa: E741 — the class is called 公路-I级
    II = "II"

    @property
    def label(self) -> str:
        return f"公路-{self.value}级"


class Effect(StrEnum):
    MOMENT = "moment"  # 弯矩
    SHEAR = "shear"  # 剪力

    @property
    def label(self) -> str:
        return "弯矩" if self is Effect.MOMENT else "剪力"


def _finite(value: float) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


@dataclass(frozen=True)
class Vehicle:
    """Axles from the front: `axle_loads_kn[i]` on axle i, `axle_spacings_m[i]` between axle i and i+1."""

    axle_loads_kn: tuple[float, ...]
    axle_spacings_m: tuple[float, ...]

    def __post_init__(self) -> None:
        loads, spacings = self.axle_loads_kn, self.axle_spacings_m
        if not 1 <= len(loads) <= MAX_AXLES:
            raise JiafaError(
                ErrorCode.AXLE_LAYOUT_INVALID, f"轴数应在 1 至 {MAX_AXLES} 之间，收到 {len(loads)}"
            )
        if len(spacings) != len(loads) - 1:
            raise JiafaError(
                ErrorCode.AXLE_LAYOUT_INVALID,
                f"{len(loads)} 个轴应有 {len(loads) - 1} 个轴距，收到 {len(spacings)} 个，请核对轴荷与轴距",
            )
        for i, load in enumerate(loads, start=1):
            if not _finite(load) or not 0 < load <= MAX_AXLE_LOAD_KN:
                raise JiafaError(
                    ErrorCode.AXLE_LAYOUT_INVALID,
                    f"第 {i} 轴轴荷应大于 0 且不超过 {MAX_AXLE_LOAD_KN:g} kN，收到 {load}",
                )
        for i, spacing in enumerate(spacings, start=1):
            if not _finite(spacing) or not 0 < spacing <= MAX_SPACING_M:
                raise JiafaError(
                    ErrorCode.AXLE_LAYOUT_INVALID,
                    f"第 {i} 与第 {i + 1} 轴的轴距应大于 0 且不超过 {MAX_SPACING_M:g} m，收到 {spacing}",
                )

    @classmethod
    def of(cls, axle_loads_kn: Sequence[float], axle_spacings_m: Sequence[float]) -> Vehicle:
        return cls(tuple(axle_loads_kn), tuple(axle_spacings_m))

    @property
    def gross_kn(self) -> float:
        return float(sum(self.axle_loads_kn))

    @property
    def length_m(self) -> float:
        """From the first to the last axle."""
        return float(sum(self.axle_spacings_m))

    def loads(self) -> Array:
        return np.asarray(self.axle_loads_kn, dtype=np.float64)

    def offsets(self) -> Array:
        """Each axle's distance behind the first axle."""
        return np.concatenate(([0.0], np.cumsum(np.asarray(self.axle_spacings_m, dtype=np.float64))))

    def scaled(self, factor: float) -> Vehicle:
        return Vehicle(tuple(p * factor for p in self.axle_loads_kn), self.axle_spacings_m)


@dataclass(frozen=True)
class Span:
    """One simply supported span of a bridge, as the check sees it."""

    span_m: float
    design_load: DesignLoad
    red_line_ratio: float  # 荷载红线: the largest allowed vehicle effect ÷ design effect, from the assessment

    def __post_init__(self) -> None:
        if not _finite(self.span_m) or not MIN_SPAN_M <= self.span_m <= MAX_SPAN_M:
            raise JiafaError(
                ErrorCode.BRIDGE_DATA_INVALID,
                f"计算跨径应在 {MIN_SPAN_M:g} 至 {MAX_SPAN_M:g} m 之间，收到 {self.span_m}",
            )
        if not _finite(self.red_line_ratio) or not 0 < self.red_line_ratio <= MAX_RED_LINE_RATIO:
            raise JiafaError(
                ErrorCode.BRIDGE_DATA_INVALID,
                f"荷载红线比值应大于 0 且不超过 {MAX_RED_LINE_RATIO:g}，收到 {self.red_line_ratio}",
            )


_DASHES = str.maketrans({"—": "-", "－": "-", "–": "-", "Ⅰ": "I", "Ⅱ": "II"})


def resolve_design_load(name: str, book: RuleBook, on: date) -> tuple[DesignLoad, Rule | None]:
    """A design load class as written in a bridge's file: 公路-I级 / 公路-II级 (or I / II, with any dash or
    Roman numeral character), or an older class that the rule `bridge.legacy_design_load` maps; the rule is
    returned to be cited."""
    text = name.strip().translate(_DASHES).replace(" ", "")
    short = text.removesuffix("级").removeprefix("公路-")
    if short in DesignLoad.__members__.values():
        return DesignLoad(short), None
    try:
        rule = book.get("bridge.legacy_design_load", on=on)
    except RuleDataError as e:
        raise JiafaError(ErrorCode.NO_RULE_IN_FORCE, str(e)) from e
    mapped = rule.value.get(text.removesuffix("级") + "级")
    if mapped is None:
        raise JiafaError(
            ErrorCode.BRIDGE_DATA_INVALID,
            f"设计荷载等级“{name}”无法换算为公路-I/II级，须由桥梁工程师评定后录入",
        )
    return DesignLoad(mapped), rule


# ── The vehicle's effects ────────────────────────────────────────────────────────────────────────────


# Positions are differences of sums of spacings: an axle meant to stand exactly on a support may come out a
# rounding error outside it, and its whole load would be lost from the reaction.
_ON_SUPPORT = 1e-9


def _on_span(x: Array, span: Array) -> npt.NDArray[np.bool_]:
    slack = _ON_SUPPORT * span
    return (x >= -slack) & (x <= span + slack)


def _breakpoints(offsets: Array, span: Array) -> Array:
    """Vehicle positions where an axle stands on a support: (B, 2n), sorted."""
    n = offsets.size
    enter = np.broadcast_to(offsets, (span.size, n))
    return np.sort(np.concatenate((enter, offsets + span[:, None]), axis=1), axis=1)


@dataclass(frozen=True)
class VehicleEffects:
    moment_knm: Array  # (B,) absolute maximum bending moment
    moment_at_m: Array  # (B,) the section where it occurs, from the left support
    shear_kn: Array  # (B,) maximum end shear (support reaction)


def vehicle_effects(vehicle: Vehicle, spans_m: Sequence[float] | Array) -> VehicleEffects:
    """The largest static moment and end shear the vehicle causes on each simply supported span."""
    # The effects depend on the span length alone, and a network repeats a few standard lengths.
    span, back = np.unique(np.asarray(spans_m, dtype=np.float64), return_inverse=True)
    effects = _effects_by_length(vehicle, span)
    return VehicleEffects(effects.moment_knm[back], effects.moment_at_m[back], effects.shear_kn[back])


def _effects_by_length(vehicle: Vehicle, span: Array) -> VehicleEffects:
    loads, offsets = vehicle.loads(), vehicle.offsets()
    rows, points = np.arange(span.size), _breakpoints(offsets, span)

    # Between consecutive breakpoints the set S of axles on the span is fixed. With the first axle at s, the
    # moment under axle k ∈ S is M_k(s) = (W/L)(L − s + d̄)(s − d_k) − Σ_{j∈S, j>k} P_j (d_j − d_k), W and d̄
    # the weight and offset of S's resultant: a concave parabola whose vertex s* = (L + d_k + d̄)/2 puts
    # midspan halfway between axle k and the resultant. Its maximum over the stretch is at s* clipped.
    lo, hi = points[:, :-1, None], points[:, 1:, None]  # (B, R, 1)
    length = span[:, None, None]
    on = ((lo + hi) / 2 - offsets >= 0) & ((lo + hi) / 2 - offsets <= length)  # (B, R, n)
    carried = loads * on
    weight = carried.sum(-1, keepdims=True)
    resultant = np.divide(
        (carried * offsets).sum(-1, keepdims=True), weight, out=np.zeros_like(weight), where=weight > 0
    )
    behind = np.cumsum(carried[..., ::-1], axis=-1)[..., ::-1] - carried  # Σ_{j>k} P_j over S
    behind_moment = np.cumsum((carried * offsets)[..., ::-1], axis=-1)[..., ::-1] - carried * offsets
    front = np.clip((length + offsets + resultant) / 2, lo, hi)
    moment = weight / length * (length - front + resultant) * (front - offsets) - (
        behind_moment - offsets * behind
    )
    moment = np.where(on, moment, 0.0).reshape(span.size, -1)
    best = moment.argmax(axis=1)

    # Shear: a reaction is linear between breakpoints, largest with an axle standing on its support.
    x = points[..., None] - offsets  # (B, 2n, n) axles at each breakpoint
    inside = _on_span(x, length)
    x = np.clip(x, 0, length)
    left = (loads * inside * (length - x)).sum(-1) / span[:, None]
    right = (loads * inside * x).sum(-1) / span[:, None]
    return VehicleEffects(
        moment_knm=moment[rows, best],
        moment_at_m=(front - offsets).reshape(span.size, -1)[rows, best],
        shear_kn=np.maximum(left.max(axis=1), right.max(axis=1)),
    )


# ── The design lane load ─────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class LaneLoad:
    """公路-I级 车道荷载 and the 公路-II级 factor, as in force on a day (JTG D60-2015 §4.3.1)."""

    q_k: Rule
    p_k: Rule
    shear_factor: Rule
    class_ii_factor: Rule

    @classmethod
    def in_force(cls, book: RuleBook, on: date) -> LaneLoad:
        try:
            return cls(
                q_k=book.get("bridge.lane_load.q_k", on=on),
                p_k=book.get("bridge.lane_load.p_k", on=on),
                shear_factor=book.get("bridge.lane_load.shear_factor", on=on),
                class_ii_factor=book.get("bridge.lane_load.class_ii_factor", on=on),
            )
        except RuleDataError as e:
            raise JiafaError(ErrorCode.NO_RULE_IN_FORCE, str(e)) from e

    @property
    def basis(self) -> list[dict[str, str]]:
        return [self.q_k.basis]  # one clause holds all four numbers

    def concentrated_kn(self, span_m: Array) -> Array:
        """P_k of 公路-I级: constant below and above the two spans, linear in between."""
        table = self.p_k.value
        return np.interp(
            span_m, [table["span_lo_m"], table["span_hi_m"]], [table["p_lo_kn"], table["p_hi_kn"]]
        )

    def design_effects(self, span_m: Array, classes: Sequence[DesignLoad]) -> tuple[Array, Array]:
        """(moment kN·m, shear kN) of one lane on each simply supported span."""
        factor = np.array(
            [1.0 if c is DesignLoad.I else float(self.class_ii_factor.value) for c in classes],
            dtype=np.float64,
        )
        q, p = float(self.q_k.value), self.concentrated_kn(span_m)
        moment = q * span_m**2 / 8 + p * span_m / 4
        shear = q * span_m / 2 + float(self.shear_factor.value) * p
        return factor * moment, factor * shear


# ── The check ────────────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class BridgeResult:
    span: Span
    vehicle_moment_knm: float
    moment_at_m: float
    design_moment_knm: float
    vehicle_shear_kn: float
    design_shear_kn: float

    @property
    def moment_ratio(self) -> float:
        return self.vehicle_moment_knm / self.design_moment_knm

    @property
    def shear_ratio(self) -> float:
        return self.vehicle_shear_kn / self.design_shear_kn

    @property
    def governing(self) -> Effect:
        return Effect.MOMENT if self.moment_ratio >= self.shear_ratio else Effect.SHEAR

    @property
    def governing_ratio(self) -> float:
        return max(self.moment_ratio, self.shear_ratio)

    @property
    def passes(self) -> bool:
        return self.governing_ratio <= self.span.red_line_ratio

    @property
    def explanation(self) -> str:
        s = self.span
        verdict = "通过" if self.passes else "不通过"
        relation = "≤" if self.passes else ">"
        return (
            f"跨径 {s.span_m:g} m，设计荷载{s.design_load.label}："
            f"车辆最大弯矩 {self.vehicle_moment_knm:.1f} kN·m"
            f"（距左支点 {self.moment_at_m:.2f} m），设计弯矩 {self.design_moment_knm:.1f} kN·m，"
            f"比值 {self.moment_ratio:.3f}；车辆最大剪力 {self.vehicle_shear_kn:.1f} kN，"
            f"设计剪力 {self.design_shear_kn:.1f} kN，比值 {self.shear_ratio:.3f}。"
            f"控制效应为{self.governing.label}，{self.governing_ratio:.3f} {relation} 荷载红线 "
            f"{s.red_line_ratio:g}，{verdict}。"
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "span_m": self.span.span_m,
            "design_load": str(self.span.design_load),
            "red_line_ratio": self.span.red_line_ratio,
            "vehicle_moment_knm": round(self.vehicle_moment_knm, FIGURE_DECIMALS),
            "moment_at_m": round(self.moment_at_m, FIGURE_DECIMALS),
            "design_moment_knm": round(self.design_moment_knm, FIGURE_DECIMALS),
            "moment_ratio": round(self.moment_ratio, RATIO_DECIMALS),
            "vehicle_shear_kn": round(self.vehicle_shear_kn, FIGURE_DECIMALS),
            "design_shear_kn": round(self.design_shear_kn, FIGURE_DECIMALS),
            "shear_ratio": round(self.shear_ratio, RATIO_DECIMALS),
            "governing": str(self.governing),
            "governing_ratio": round(self.governing_ratio, RATIO_DECIMALS),
            "passes": self.passes,
            "explanation": self.explanation,
        }


def check(vehicle: Vehicle, spans: Sequence[Span], lane: LaneLoad) -> list[BridgeResult]:
    """The vehicle against every span, in the order given."""
    if not spans:
        return []
    span_m = np.array([s.span_m for s in spans], dtype=np.float64)
    effects = vehicle_effects(vehicle, span_m)
    design_moment, design_shear = lane.design_effects(span_m, [s.design_load for s in spans])
    return [
        BridgeResult(
            span=s,
            vehicle_moment_knm=float(effects.moment_knm[i]),
            moment_at_m=float(effects.moment_at_m[i]),
            design_moment_knm=float(design_moment[i]),
            vehicle_shear_kn=float(effects.shear_kn[i]),
            design_shear_kn=float(design_shear[i]),
        )
        for i, s in enumerate(spans)
    ]


# ── The permit's class and statutory time limit ─────────────────────────────────────────────────────


class PermitClass(StrEnum):
    """超限运输车辆行驶公路管理规定 Art. 15: the three classes by size and weight."""

    SMALL = "small"  # within 4.2 m high, 3 m wide, 20 m long and the weight limits
    MEDIUM = "medium"  # within 4.5 m, 3.75 m, 28 m and 100 t
    LARGE = "large"

    @property
    def label(self) -> str:
        return {
            "small": "第一类（第十五条第一项）",
            "medium": "第二类（第十五条第二项）",
            "large": "第三类（第十五条第三项）",
        }[self.value]


# Plausibility bounds (not law) for an oversize load on a road.
MAX_DIMENSION_M = {"height_m": 10.0, "width_m": 15.0, "length_m": 150.0}
MAX_GROSS_KG = 2_000_000


@dataclass(frozen=True)
class Dimensions:
    """车货总尺寸 and 总质量 of the loaded vehicle."""

    height_m: float  # from the ground
    width_m: float
    length_m: float
    gross_kg: int
    within_weight_limits: bool  # gross and axle loads within Art. 3 and Art. 5

    def __post_init__(self) -> None:
        for name, value, label in (
            ("height_m", self.height_m, "总高度"),
            ("width_m", self.width_m, "总宽度"),
            ("length_m", self.length_m, "总长度"),
        ):
            if not _finite(value) or not 0 < value <= MAX_DIMENSION_M[name]:
                raise JiafaError(
                    ErrorCode.PERMIT_INPUT_INVALID,
                    f"车货{label}应大于 0 且不超过 {MAX_DIMENSION_M[name]:g} 米，收到 {value}",
                )
        if isinstance(self.gross_kg, bool) or not 0 < self.gross_kg <= MAX_GROSS_KG:
            raise JiafaError(
                ErrorCode.PERMIT_INPUT_INVALID,
                f"车货总质量应大于 0 且不超过 {MAX_GROSS_KG} 千克，收到 {self.gross_kg}",
            )


def permit_class(load: Dimensions, book: RuleBook, on: date) -> tuple[PermitClass, Rule]:
    """The Art. 15 class of a load and the rule that sets it (cited with the time limit)."""
    small, medium = book.get("permit.class.small", on=on), book.get("permit.class.medium", on=on)
    s, m = small.value, medium.value
    if (
        load.height_m <= s["height_m"]
        and load.width_m <= s["width_m"]
        and load.length_m <= s["length_m"]
        and load.within_weight_limits
    ):
        return PermitClass.SMALL, small
    if (
        load.height_m <= m["height_m"]
        and load.width_m <= m["width_m"]
        and load.length_m <= m["length_m"]
        and load.gross_kg <= m["gross_kg"]
    ):
        return PermitClass.MEDIUM, medium
    return PermitClass.LARGE, medium


@dataclass(frozen=True)
class TimeLimit:
    permit_class: PermitClass
    cross_province: bool
    accepted_on: date  # 受理日: not counted
    working_days: int
    excluded_working_days: int  # spent on bridge reinforcement (加固、改造), not counted
    due: date
    rule: Rule

    @property
    def explanation(self) -> str:
        scope = "跨省、自治区、直辖市运输，" if self.cross_province else ""
        excluded = (
            f"；桥梁加固、改造所用 {self.excluded_working_days} 个工作日不计入"
            if self.excluded_working_days
            else ""
        )
        return (
            f"{self.permit_class.label}，{scope}应自受理之日（{self.accepted_on.isoformat()}）起 "
            f"{self.working_days} 个工作日内作出许可决定{excluded}，至 {self.due.isoformat()}"
            f"（{self.rule.law}{self.rule.article}）"
        )


def decision_due(
    accepted_on: date,
    load_class: PermitClass,
    cross_province: bool,
    calendar: WorkCalendar,
    book: RuleBook,
    excluded_working_days: int = 0,
) -> TimeLimit:
    """The statutory time limit for the decision, counted in working days from the day after acceptance;
    working days spent on bridge reinforcement are added back (Art. 15)."""
    if excluded_working_days < 0:
        raise JiafaError(ErrorCode.PERMIT_INPUT_INVALID, "加固、改造时间不能为负数")
    key = f"permit.time_limit.{load_class.value}" + ("_cross_province" if cross_province else "")
    rule = book.get(key, on=accepted_on)
    days = int(rule.value)
    try:
        due = calendar.add_working_days(accepted_on, days + excluded_working_days)
    except NoScheduleError as e:
        raise JiafaError(ErrorCode.NO_SCHEDULE, str(e)) from e
    return TimeLimit(load_class, cross_province, accepted_on, days, excluded_working_days, due, rule)
