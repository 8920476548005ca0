"""A small non-site world for the review tests: a frozen clock, a Haining squadron and a Tongxiang one, a
station each, registered vehicles, and findings whose numbers come from the real determination."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable
from typing import Any

import polars as pl
from django.utils import timezone

from jiafa.core import evidence
from jiafa.core.models import User
from jiafa.core.roles import Role
from jiafa.law import overload
from jiafa.law.book import rulebook
from jiafa.overload import packs
from jiafa.overload.models import Finding, Vehicle, WimStation
from tests.cases.conftest import Team
from tests.conftest import HAINING, TONGXIANG

NOW = dt.datetime(2026, 9, 15, 2, 30, tzinfo=dt.UTC)  # 10:30 on a Tuesday in Shanghai
OWNER = {
    "owner_kind": "organisation",
    "owner_name": "嘉兴某某物流有限公司",
    "owner_id_no": "91330400MA2B123456",
    "owner_address": "嘉兴市南湖区某路1号",
}


def freeze(monkeypatch: Any) -> None:
    monkeypatch.setattr(timezone, "now", lambda: NOW)


class World:
    def __init__(self, make_user: Callable[..., User], org: dict[str, Any]) -> None:
        self.team = Team(make_user)
        self.stranger = make_user("tx_officer1", TONGXIANG, Role.OFFICER)
        self.stranger.certificate_no = "33040000099"
        self.stranger.save()
        self.station = self._station("HN-G60-01", "G60 海宁许村", org[HAINING])
        self.far_station = self._station("TX-S12-01", "S12 桐乡梧桐", org[TONGXIANG])
        Vehicle.objects.create(plate="浙F12345", plate_color="黄", axles=6, combination=True, **OWNER)
        Vehicle.objects.create(
            plate="浙F67890",
            plate_color="黄",
            owner_kind="person",
            owner_name="李四",
            owner_id_no="330481198502021234",
        )
        self._n = 0

    @staticmethod
    def _station(code: str, name: str, unit: Any) -> WimStation:
        return WimStation.objects.create(
            code=code, name=name, org_unit=unit, road=name.split()[0], direction="上行", lat=30.5, lon=120.6
        )

    def finding(
        self,
        plate: str = "浙F12345",
        gross_kg: int = 62000,
        *,
        station: WimStation | None = None,
        passed_at: dt.datetime | None = None,
        status: str = Finding.Status.PENDING,
        pack: bool = True,
        own_blob: bool = False,
    ) -> Finding:
        """A finding as the pipeline would write it: the determination of a 6-axle combination by WIM, its
        evidence pack in an archive; with `own_blob`, the pack a blob of its own, as detection stored packs
        before archives."""
        self._n += 1
        station = station or self.station
        passed_at = passed_at or NOW - dt.timedelta(days=3, minutes=self._n)
        day = timezone.localtime(passed_at).date()
        a = overload.assess(overload.Vehicle(6, True), gross_kg, overload.Measurement.WIM, rulebook(), day)
        record_id = f"{station.code}-{self._n:06d}"
        located: dict[str, Any] = {}
        if pack:
            items = [{"kind": "photo_front", "sha256": "0" * 64}]
            body = json.dumps({"record_id": record_id, "items": items})
            if own_blob:
                blob = evidence.store(io.BytesIO(body.encode()), "application/json")
                located = {"evidence": blob, "pack_sha256": blob.sha256}
            else:
                # The pack in the middle of its archive, as most packs lie.
                archive = packs.archive(pl.Series(["{}", body, "[]"]))
                packs.store_archive(archive).save()
                located = {
                    "pack_archive_id": archive.sha256,
                    "pack_offset": archive.offsets[1],
                    "pack_length": archive.lengths[1],
                    "pack_sha256": archive.shas[1],
                }
        return Finding.objects.create(
            record_id=record_id,
            record_ids=[record_id],
            station=station,
            org_unit=station.org_unit,
            passed_at=passed_at,
            plate=plate,
            plate_color="黄",
            axles=6,
            gross_kg=gross_kg,
            limit_kg=a.limit_kg,
            tolerance_kg=a.tolerance_kg,
            overload_kg=a.overload_kg,
            overload_rate=a.overload_rate,
            outcome=str(a.outcome),
            fine_yuan=a.fine_yuan,
            hundred_tonne=a.hundred_tonne,
            serious=a.serious,
            basis=a.basis,
            status=status,
            **located,
        )
