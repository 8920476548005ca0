from datetime import date

from ninja import Schema

from jiafa.law.overload import Measurement, Outcome


class AssessIn(Schema):
    axles: int
    combination: bool = False  # 汽车列车
    single_drive_axle: bool = False  # 牵引车驱动轴为单轴
    gross_kg: int  # 车货总质量
    measurement: Measurement = Measurement.STATIC
    measured_on: date | None = None  # 称重日期; today (Asia/Shanghai) when absent


class BasisOut(Schema):
    law: str
    article: str


class AssessmentOut(Schema):
    limit_kg: int
    overload_kg: int
    overload_rate: float  # a fraction: 0.171 = 17.1%
    is_overload: bool
    outcome: Outcome
    fine_yuan: int
    basis: list[BasisOut]
    gross_kg: int
    measurement: Measurement
    measured_on: date
    tolerance_kg: int
    judged_kg: int
    hundred_tonne: bool
    serious: bool
    explanation: str
