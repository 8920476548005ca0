"""The overload determination (超限认定) for one weighing: Art. 3 gross-weight limit, weigh-in-motion
tolerance, Art. 43 warning or fine, and the 百吨王 / serious-overload flags.

Pure: no Django, no database, no clock. Every legal number comes from the rulebook in force on the measurement
day (law/data/rules/overload.json); every refusal of input is a JiafaError with a Chinese message.

Decisions the text of the law leaves open:
- single_drive_axle (牵引车驱动轴为单轴) exists only in Art. 3(1)(8), for combinations of six or more axles.
  On any other vehicle it is refused rather than ignored: it means the axle count or the vehicle type was
  entered wrongly, and silently judging by another limit would hide that.
- Five and six-plus axles: the text names 汽车列车 only; a rigid truck with that many axles gets the same
  limit.
- Tonnes for the fine: once over the warning band the whole overload counts (2,000 kg over → two steps →
  ¥1,000); a part-step follows the `overload.penalty.part_step` setting (floor by default).
- The WIM tolerance is rounded up to the kilogram and the overload rate truncated to four decimals: both err
  in the party's favour, and a rate shown as 1.0 or more always means the exact rate is at least 1.
- The 百吨王 and serious flags are informational; before their rule takes effect they are simply false.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction
from typing import Any

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law.ruledata import Rule, RuleBook, RuleDataError

# Plausibility bounds on input, not law: outside them is a typing or sensor error, never a vehicle to judge.
MIN_AXLES, MAX_AXLES = 2, 20
MAX_GROSS_KG = 300_000
RATE_DECIMALS = 4
# The values `overload.penalty.part_step` may take, and how an explanation words each.
PART_STEP_TEXT = {"floor": "不足{step}千克的部分不计", "ceil": "不足{step}千克的部分按{step}千克计"}


class Measurement(StrEnum):
    STATIC = "static"  # 静态称重
    WIM = "wim"  # 动态称重 (weigh-in-motion, 不停车检测)

    @property
    def label(self) -> str:
        return "动态称重" if self is Measurement.WIM else "静态称重"


class Outcome(StrEnum):
    NONE = "none"  # 未超限
    WARNING = "warning"  # 警告
    FINE = "fine"  # 罚款


@dataclass(frozen=True)
class Vehicle:
    axles: int
    combination: bool = False  # 汽车列车 (tractor and trailer) rather than a rigid truck (货车)
    single_drive_axle: bool = False  # 牵引车驱动轴为单轴

    def __post_init__(self) -> None:
        if not MIN_AXLES <= self.axles <= MAX_AXLES:
            raise JiafaError(
                ErrorCode.INVALID_AXLE_COUNT, f"轴数应在 {MIN_AXLES} 至 {MAX_AXLES} 之间，收到 {self.axles}"
            )
        if self.combination and self.axles < 3:
            raise JiafaError(
                ErrorCode.INVALID_AXLE_COUNT, "汽车列车（牵引车加挂车）至少有3个轴，请核对轴数和车型"
            )
        if self.single_drive_axle and not (self.combination and self.axles >= 6):
            raise JiafaError(
                ErrorCode.SINGLE_DRIVE_AXLE_NOT_APPLICABLE,
                f"牵引车单驱动轴限值仅适用于六轴及以上汽车列车，本车为{self.axles}轴{self.kind}，请核对轴数和车型",
            )

    @property
    def kind(self) -> str:
        return "汽车列车" if self.combination else "货车"

    @property
    def label(self) -> str:
        return f"{self.axles}轴{self.kind}" + ("（牵引车单驱动轴）" if self.single_drive_axle else "")

    @property
    def limit_key(self) -> str:
        if self.axles >= 6:
            return "overload.limit.6_plus_axles" + ("_single_drive" if self.single_drive_axle else "")
        if self.axles in (3, 4):
            return f"overload.limit.{self.axles}_axles_{'combination' if self.combination else 'truck'}"
        return f"overload.limit.{self.axles}_axles"


@dataclass(frozen=True)
class AppliedRules:
    """The rule versions one determination used: what it cites, and what a record of it keeps."""

    limit: Rule
    tolerance: Rule | None  # weigh-in-motion only
    warning_band: Rule
    fine_per_step: Rule
    fine_cap: Rule
    part_step: Rule
    hundred_tonne: Rule | None  # None before the flag's rule takes effect
    serious_rate: Rule | None

    @classmethod
    def in_force(cls, book: RuleBook, vehicle: Vehicle, measurement: Measurement, on: date) -> AppliedRules:
        try:
            rules = cls(
                limit=book.get(vehicle.limit_key, on=on),
                tolerance=book.get("overload.wim_tolerance", on=on)
                if measurement is Measurement.WIM
                else None,
                warning_band=book.get("overload.penalty.warning_band_kg", on=on),
                fine_per_step=book.get("overload.penalty.fine_per_step", on=on),
                fine_cap=book.get("overload.penalty.fine_cap_yuan", on=on),
                part_step=book.get("overload.penalty.part_step", on=on),
                hundred_tonne=_optional(book, "overload.hundred_tonne_kg", on),
                serious_rate=_optional(book, "overload.serious_rate", on),
            )
        except RuleDataError as e:
            raise JiafaError(
                ErrorCode.NO_RULE_IN_FORCE, f"称重日期 {on.isoformat()} 没有可适用的超限认定规则：{e}"
            ) from e
        if not isinstance(rules.part_step.value, str) or rules.part_step.value not in PART_STEP_TEXT:
            # A bureau's broken override is a configuration fault, not the user's input.
            raise RuleDataError(
                f"overload.penalty.part_step 应为 floor 或 ceil，实为 {rules.part_step.value!r}"
            )
        return rules

    @property
    def step_kg(self) -> int:
        return int(self.fine_per_step.value["step_kg"])

    @property
    def yuan_per_step(self) -> int:
        return int(self.fine_per_step.value["yuan"])


@dataclass(frozen=True)
class Assessment:
    vehicle: Vehicle
    gross_kg: int  # measured 车货总质量
    measurement: Measurement
    measured_on: date
    rules: AppliedRules
    limit_kg: int
    tolerance_kg: int  # deducted for weigh-in-motion, 0 for static
    judged_kg: int  # gross − tolerance: the weight the limit applies to
    overload_kg: int
    overload_rate: Decimal  # 超限率 as a fraction, truncated to four decimals
    outcome: Outcome
    fine_steps: int  # the number of 1,000 kg steps the fine counts, before the cap
    fine_yuan: int
    hundred_tonne: bool  # 百吨王
    serious: bool  # 严重违法超限超载

    @property
    def is_overload(self) -> bool:
        return self.overload_kg > 0

    @property
    def basis(self) -> list[dict[str, str]]:
        """The articles the determination rests on, each once, in the order they were applied."""
        used: list[Rule | None] = [self.rules.limit, self.rules.tolerance]
        if self.outcome is Outcome.WARNING:
            used.append(self.rules.warning_band)
        elif self.outcome is Outcome.FINE:
            used += [self.rules.fine_per_step, self.rules.part_step, self.rules.fine_cap]
        unique = {(r.law, r.article): r.basis for r in used if r is not None}
        return list(unique.values())

    @property
    def explanation(self) -> str:
        parts = [
            f"{self.vehicle.label}限值{self.limit_kg}千克（{self.rules.limit.article}）",
            self._weighing_text(),
            f"超限{self.overload_kg}千克，超限率{_percent(self.overload_rate)}"
            if self.is_overload
            else "未超过限值",
        ]
        if self.outcome is Outcome.WARNING:
            band = self.rules.warning_band
            parts.append(f"超限未超过{band.value}千克，依{band.article}予以警告")
        elif self.outcome is Outcome.FINE:
            parts.append(self._fine_text())
        if self.hundred_tonne and self.rules.hundred_tonne:
            parts.append(f"实测车货总质量达到{self.rules.hundred_tonne.value}千克，属“百吨王”")
        if self.serious and self.rules.serious_rate:
            rate = _percent(_decimal(self.rules.serious_rate.value))
            parts.append(f"超限率达到{rate}以上，属严重违法超限超载")
        return "；".join(parts) + "。"

    def _weighing_text(self) -> str:
        text = f"{self.measurement.label}车货总质量{self.gross_kg}千克"
        if self.rules.tolerance is None:
            return text
        share = _percent(_decimal(self.rules.tolerance.value))
        return f"{text}，扣除{share}计量误差{self.tolerance_kg}千克后为{self.judged_kg}千克"

    def _fine_text(self) -> str:
        rules, step = self.rules, self.rules.step_kg
        rate = f"依{rules.fine_per_step.article}每超{step}千克罚款{rules.yuan_per_step}元"
        text = f"{rate}，计{self.fine_steps}个{step}千克"
        if self.overload_kg % step:
            text += "（" + PART_STEP_TEXT[rules.part_step.value].format(step=step) + "）"
        uncapped = self.fine_steps * rules.yuan_per_step
        if uncapped > self.fine_yuan:
            return f"{text}，合{uncapped}元，超过最高限额，罚款{self.fine_yuan}元"
        return f"{text}，罚款{self.fine_yuan}元"

    def as_dict(self) -> dict[str, Any]:
        """The contract's fields (docs/contract.md), then the additions; JSON-ready."""
        return {
            "limit_kg": self.limit_kg,
            "overload_kg": self.overload_kg,
            "overload_rate": float(self.overload_rate),
            "is_overload": self.is_overload,
            "outcome": str(self.outcome),
            "fine_yuan": self.fine_yuan,
            "basis": self.basis,
            "gross_kg": self.gross_kg,
            "measurement": str(self.measurement),
            "measured_on": self.measured_on.isoformat(),
            "tolerance_kg": self.tolerance_kg,
            "judged_kg": self.judged_kg,
            "hundred_tonne": self.hundred_tonne,
            "serious": self.serious,
            "explanation": self.explanation,
        }


def assess(vehicle: Vehicle, gross_kg: int, measurement: Measurement, book: RuleBook, on: date) -> Assessment:
    """Judge one weighing of `vehicle`, taken on day `on`, by the rules in force that day."""
    if not 0 < gross_kg <= MAX_GROSS_KG:
        raise JiafaError(
            ErrorCode.INVALID_GROSS_WEIGHT,
            f"车货总质量应大于 0 且不超过 {MAX_GROSS_KG} 千克，收到 {gross_kg} 千克",
        )
    rules = AppliedRules.in_force(book, vehicle, measurement, on)
    limit_kg = int(rules.limit.value)
    tolerance_kg = math.ceil(gross_kg * _fraction(rules.tolerance.value)) if rules.tolerance else 0
    judged_kg = gross_kg - tolerance_kg
    overload_kg = max(0, judged_kg - limit_kg)
    outcome, steps, fine_yuan = _penalty(overload_kg, rules)
    return Assessment(
        vehicle=vehicle,
        gross_kg=gross_kg,
        measurement=measurement,
        measured_on=on,
        rules=rules,
        limit_kg=limit_kg,
        tolerance_kg=tolerance_kg,
        judged_kg=judged_kg,
        overload_kg=overload_kg,
        overload_rate=Decimal(overload_kg * 10**RATE_DECIMALS // limit_kg).scaleb(-RATE_DECIMALS),
        outcome=outcome,
        fine_steps=steps,
        fine_yuan=fine_yuan,
        hundred_tonne=rules.hundred_tonne is not None and gross_kg >= int(rules.hundred_tonne.value),
        serious=rules.serious_rate is not None
        and Fraction(overload_kg, limit_kg) >= _fraction(rules.serious_rate.value),
    )


def _penalty(overload_kg: int, rules: AppliedRules) -> tuple[Outcome, int, int]:
    """Art. 43: (outcome, steps counted, fine in yuan)."""
    if overload_kg == 0:
        return Outcome.NONE, 0, 0
    if overload_kg <= int(rules.warning_band.value):
        return Outcome.WARNING, 0, 0
    whole, part = divmod(overload_kg, rules.step_kg)
    steps = whole + (1 if part and rules.part_step.value == "ceil" else 0)
    return Outcome.FINE, steps, min(steps * rules.yuan_per_step, int(rules.fine_cap.value))


def _optional(book: RuleBook, key: str, on: date) -> Rule | None:
    try:
        return book.get(key, on=on)
    except RuleDataError:
        return None


def _fraction(value: Any) -> Fraction:
    """Exact value of a rule's number: 0.05 in JSON is 1/20, not the nearest binary float."""
    return Fraction(str(value))


def _decimal(value: Any) -> Decimal:
    return Decimal(str(value))


def _percent(fraction: Decimal) -> str:
    return f"{(fraction * 100).normalize():f}%"
