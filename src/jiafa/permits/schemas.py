"""Wire formats of /api/v1/permits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

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


class PlaceIn(Schema):
    name: str
    lat: float
    lon: float


class ApplicationIn(Schema):
    applicant_name: str  # 申请人
    applicant_credit_code: str  # 统一社会信用代码
    contact_phone: str
    tractor_plate: str
    trailer_plate: str = ""
    combination: bool = True  # 汽车列车
    vehicle: VehicleIn
    gross_kg: int  # 车货总质量
    height_m: float
    width_m: float
    length_m: float
    cargo: str
    origin: PlaceIn
    destination: PlaceIn
    travel_from: date
    travel_to: date
    cross_province: bool = False
    org_unit: str | None = None  # 受理单位 code; the caller's own unit when absent


class AmendIn(ApplicationIn):
    version: int | None = None


class StepIn(Schema):
    """The fields a step may take; each step reads the ones it needs."""

    version: int | None = None
    note: str = ""  # refer, resume
    reasons: str = ""  # reject, suspend, revoke
    opinion: str = ""  # assess
    conditions: dict[str, Any] | None = None  # assess, approve
    on: date | None = None  # start_reinforcement, finish_reinforcement (default today)


class EventOut(Schema):
    kind: str
    at: datetime
    actor: str
    status_from: str
    status_to: str
    note: str


class ApplicationOut(Schema):
    id: int
    number: str
    status: str
    status_label: str
    version: int
    org_unit: str
    applicant_name: str
    tractor_plate: str
    trailer_plate: str
    gross_kg: int
    height_m: float
    width_m: float
    length_m: float
    cargo: str
    origin_name: str
    destination_name: str
    travel_from: date
    travel_to: date
    accepted_on: date
    permit_class: str
    due_on: date
    proposal: str
    conditions: dict[str, Any]
    reasons: str
    decided_on: date | None


class ApplicationDetailOut(ApplicationOut):
    axle_loads_kn: list[float]
    axle_spacings_m: list[float]
    check_result: dict[str, Any]
    events: list[EventOut]
    allowed_actions: list[str]


class BridgeOut(Schema):
    code: str
    name: str
    road_code: str
    lat: float
    lon: float
    structure: str
    spans_m: list[float]
    design_load: str
    condition_grade: int
    red_line_ratio: float
    max_width_m: float | None
    max_height_m: float | None
    speed_limit_kmh: int | None
    escort_required: bool
    single_vehicle: bool
    reinforcement: str


class InspectionIn(Schema):
    inspected_on: date
    kind: str  # periodic 定期检查 | special 特殊检查 | load_test 荷载试验
    condition_grade: int  # 1–5
    red_line_ratio: float | None = None  # when the inspection assessed one
    findings: str = ""
    inspector: str = ""
    version: int | None = None  # the bridge's, as the caller saw it


class InspectionOut(Schema):
    inspected_on: date
    kind: str
    condition_grade: int
    red_line_ratio: float | None
    findings: str
    inspector: str


class BridgeDetailOut(BridgeOut):
    version: int
    inspections: list[InspectionOut]
