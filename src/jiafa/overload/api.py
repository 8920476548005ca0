"""/api/v1/overload: the legal determination for one weighing. Thin: the work is in jiafa.law.overload."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law import overload
from jiafa.law.book import rulebook
from jiafa.overload.schemas import AssessIn, AssessmentOut

router = Router(tags=["非现场治超"])


@router.post("/assess", response=AssessmentOut, summary="单车超限认定：限值、超限量、超限率、处罚与依据")
def assess(request: HttpRequest, body: AssessIn) -> dict[str, Any]:
    today = timezone.localdate()
    measured_on = body.measured_on or today
    if measured_on > today:
        raise JiafaError(ErrorCode.MEASURED_IN_FUTURE)
    vehicle = overload.Vehicle(body.axles, body.combination, body.single_drive_axle)
    return overload.assess(vehicle, body.gross_kg, body.measurement, rulebook(), measured_on).as_dict()
