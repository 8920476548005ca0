"""Wire formats of /api/v1/permits."""

from __future__ import annotations

from ninja import Field, Schema

from jiafa.overload.schemas import BasisOut

MAX_BRIDGES_PER_CHECK = 5000


class VehicleIn(Schema):
    axle_loads_kn: list[float] = Field(min_length=1)  # 轴荷, kN, from the front axle
    axle_spacings_m: list[float]  # 轴距, m: one fewer than the axles


class BridgeIn(Schema):
    span_m: float  # 计算跨径
    design_load: str = "I"  # "I" | "II", also 公路-I级 or an older class the rule data maps
    red_line_ratio: float = 1.0  # 荷载红线


class BridgeCheckIn(Schema):
    vehicle: VehicleIn
    bridges: list[BridgeIn] = Field(min_length=1, max_length=MAX_BRIDGES_PER_CHECK)


class BridgeResultOut(Schema):
    span_m: float
    design_load: str
    red_line_ratio: float
    vehicle_moment_knm: float
    moment_at_m: float  # where the maximum moment occurs, from the left support
    design_moment_knm: float
    moment_ratio: float
    vehicle_shear_kn: float
    design_shear_kn: float
    shear_ratio: float
    governing: str  # "moment" | "shear"
    governing_ratio: float
    passes: bool
    explanation: str


class BridgeCheckOut(Schema):
    passes: bool  # every bridge passes
    gross_kn: float
    bridges: list[BridgeResultOut]
    basis: list[BasisOut]
