"""Rows of the overload tables for the station and follow-up tests: stations, certificates, vehicles and
findings written directly, so that each test states exactly the records it counts."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from jiafa.cases.models import PartyKind
from jiafa.core.models import OrgUnit
from jiafa.overload.models import Calibration, Finding, Vehicle, WimStation

_ids = itertools.count(1)
LIMIT_KG = 49000


def station(unit: OrgUnit, code: str, *, lat: float = 30.5, lon: float = 120.7, **over: Any) -> WimStation:
    fields: dict[str, Any] = {
        "code": code,
        "name": f"{code}检测点",
        "org_unit": unit,
        "road": "G60",
        "direction": "上行",
        "lat": lat,
        "lon": lon,
        "published_on": date(2020, 1, 1),
    }
    return WimStation.objects.create(**(fields | over))


def certificate(s: WimStation, valid_from: date, valid_to: date) -> Calibration:
    return Calibration.objects.create(
        station=s,
        certificate_no=f"JD-{next(_ids):05d}",
        issued_by="浙江省计量科学研究院",
        valid_from=valid_from,
        valid_to=valid_to,
    )


def vehicle(plate: str, *, owner: str = "张三", owner_id: str = "330402198001011234", **over: Any) -> Vehicle:
    organisation = owner_id[:2] == "91"
    fields: dict[str, Any] = {
        "plate": plate,
        "owner_kind": PartyKind.ORGANISATION if organisation else PartyKind.PERSON,
        "owner_name": owner,
        "owner_id_no": owner_id,
        "axles": 6,
        "combination": True,
        "registered_region": "330481",
    }
    return Vehicle.objects.create(**(fields | over))


def finding(
    s: WimStation,
    plate: str,
    passed_at: datetime,
    *,
    rate: str = "0.2000",
    status: str = Finding.Status.CONFIRMED,
    plate_color: str = "黄",
    **over: Any,
) -> Finding:
    overload = int(LIMIT_KG * Decimal(rate))
    fields: dict[str, Any] = {
        "record_id": f"R{next(_ids):08d}",
        "station": s,
        "org_unit": s.org_unit,
        "passed_at": passed_at,
        "plate": plate,
        "plate_color": plate_color,
        "axles": 6,
        "gross_kg": LIMIT_KG + overload,
        "limit_kg": LIMIT_KG,
        "tolerance_kg": 0,
        "overload_kg": overload,
        "overload_rate": Decimal(rate),
        "outcome": "fine" if overload > 1000 else "warning",
        "fine_yuan": min(30000, overload // 1000 * 500) if overload > 1000 else 0,
        "basis": [{"law": "超限运输车辆行驶公路管理规定", "article": "第四十三条"}],
        "status": status,
    }
    return Finding.objects.create(**(fields | over))
