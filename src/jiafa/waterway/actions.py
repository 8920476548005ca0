"""Waterway use cases: detection over the lake into findings, and the verification (核查) of a finding.
Each writes its audit entry in the same transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import polars as pl
from django.db import transaction
from django.utils import timezone

from jiafa.cases import actions as case_actions
from jiafa.cases.models import Case
from jiafa.cases.models import Source as CaseSource
from jiafa.core import audit
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import OrgUnit, User
from jiafa.core.roles import Perm, require
from jiafa.law.book import rulebook
from jiafa.waterway import findings, letters, pipeline, rules
from jiafa.waterway.geometry import parse_polygon
from jiafa.waterway.models import Checkpoint, Finding, MuckPermit, Vessel, Zone


@dataclass
class DetectResult:
    positions: int
    passages: int
    found: int
    created: int

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _settings(on: date) -> dict[str, Any]:
    book = rulebook()

    def value(key: str) -> Any:
        return book.value(f"waterway.{key}", on=on)

    return {
        "stop": {"start_kn": value("stop.start_kn"), "end_kn": value("stop.end_kn")},
        "margin_m": value("zone.margin_m"),
        "berthing_minutes": value("berthing.min_minutes"),
        "dark": value("dark.gap_minutes"),
        "window": value("identity.window_minutes"),
        "radius": value("identity.checkpoint_radius_m"),
        "confidence": value("identity.ocr_confidence_min"),
        "max_speed": value("identity.max_speed_kn"),
        "unload": value("muck.unload_min_minutes"),
        "violations": value("findings.violations"),
        "basis": [
            book.get(f"waterway.{k}", on=on).basis
            for k in ("stop.start_kn", "zone.margin_m", "berthing.min_minutes", "dark.gap_minutes")
        ],
    }


def _collect(area: str, schema: pl.Schema) -> pl.DataFrame:
    frame = pipeline.scan(area)
    return frame.collect() if frame is not None else pl.DataFrame(schema=schema)


def detect(*, on: date | None = None, actor: User | None = None) -> DetectResult:
    """Every rule over everything the lake holds, against the registers; a finding already recorded (same
    rule, vessel and start) is not recorded again. The thresholds are those in force `on` (default today)."""
    from jiafa.waterway import nmea, records  # the decoders' schemas

    s = _settings(on or timezone.localdate())
    positions = _collect(pipeline.POSITIONS, nmea.POSITION_SCHEMA)
    static = _collect(pipeline.STATIC, nmea.STATIC_SCHEMA)
    passages = _collect(pipeline.PASSAGES, records.PASSAGE_SCHEMA)
    zones = {
        z.pk: rules.Zone(z.pk, z.kind, z.licensed, parse_polygon(z.geometry), _allowed(z)) for z in _zones()
    }
    checkpoints = pl.DataFrame(
        list(Checkpoint.objects.values_list("code", "lat", "lon", "waterway")),
        schema={"checkpoint": pl.String, "lat": pl.Float64, "lon": pl.Float64, "waterway": pl.String},
        orient="row",
    )
    vessels = pl.DataFrame(
        list(Vessel.objects.values_list("mmsi", "name", "kind")),
        schema={"mmsi": pl.Int64, "name": pl.String, "kind": pl.String},
        orient="row",
    )
    sightings = (
        passages.filter(pl.col("confidence") >= s["confidence"])
        .with_columns(key=rules.normalise_name(pl.col("ship_name")))
        .join(vessels.select("mmsi", key=rules.normalise_name(pl.col("name"))), on="key")
        .join(checkpoints.select("checkpoint", "waterway"), on="checkpoint")
    )
    permits = [
        rules.Permit(p.vessel.mmsi, p.loading_zone_id, p.dumping_zone_id, p.valid_from, p.valid_to)
        for p in MuckPermit.objects.select_related("vessel")
    ]
    muck_vessels = vessels.filter(pl.col("kind") == Vessel.Kind.MUCK)["mmsi"].to_list()
    found = pl.concat(
        [
            rules.illegal_berthing(
                positions,
                zones.values(),
                **s["stop"],
                margin_m=s["margin_m"],
                min_minutes=s["berthing_minutes"],
            ),
            rules.ais_dark(positions, sightings, gap_minutes=s["dark"]),
            rules.name_mismatch(
                positions,
                static,
                passages,
                checkpoints.select("checkpoint", "lat", "lon"),
                window_minutes=s["window"],
                radius_m=s["radius"],
                confidence_min=s["confidence"],
            ),
            rules.shared_mmsi(positions, max_speed_kn=s["max_speed"]),
            rules.muck(
                positions,
                muck_vessels,
                permits,
                zones,
                **s["stop"],
                margin_m=s["margin_m"],
                unload_minutes=s["unload"],
            ),
        ]
    )
    with transaction.atomic():
        created = _record(found, passages, s)
        audit.record(
            "waterway.detect",
            actor=actor,
            detail={"positions": positions.height, "found": found.height, "created": created},
        )
    return DetectResult(positions.height, passages.height, found.height, created)


def _zones() -> list[Zone]:
    return list(Zone.objects.prefetch_related("allowed_vessels"))


def _allowed(zone: Zone) -> frozenset[int]:
    return frozenset(v.mmsi for v in zone.allowed_vessels.all())


def _record(found: pl.DataFrame, passages: pl.DataFrame, s: dict[str, Any]) -> int:
    if found.is_empty():
        return 0
    keys = [
        f"{r['rule']}|{r['mmsi']}|{r['start'].isoformat()}"
        for r in found.select("rule", "mmsi", "start").to_dicts()
    ]
    existing = set(Finding.objects.filter(key__in=keys).values_list("key", flat=True))
    vessels = {v.mmsi: v for v in Vessel.objects.filter(mmsi__in=found["mmsi"].unique().to_list())}
    zones = Zone.objects.in_bulk()
    checkpoints = {c.code: c for c in Checkpoint.objects.all()}
    photos = dict(passages.select("record_id", "photo").drop_nulls().iter_rows())
    root = OrgUnit.objects.filter(parent=None).order_by("pk").first()
    new = []
    for key, row in zip(keys, found.to_dicts(), strict=True):
        if key in existing:
            continue
        vessel = vessels.get(row["mmsi"])
        zone = zones.get(row["zone"]) if row["zone"] is not None else None
        checkpoint = checkpoints.get(row["checkpoint"] or "")
        unit = next((o.org_unit for o in (zone, checkpoint, vessel) if o is not None), root)
        if unit is None:
            raise JiafaError(ErrorCode.INVALID_INPUT, "尚未导入组织机构，无法确定线索的管辖单位")
        existing.add(key)
        new.append(
            Finding(
                key=key,
                rule=row["rule"],
                mmsi=row["mmsi"],
                vessel=vessel,
                org_unit=unit,
                start=row["start"],
                end=row["end"],
                lat=row["lat"],
                lon=row["lon"],
                zone=zone,
                checkpoint=checkpoint,
                value=row["value"],
                threshold=row["threshold"],
                ais_name=row["ais_name"] or "",
                seen_name=row["seen_name"] or "",
                record_id=row["record_id"] or "",
                photo=photos.get(row["record_id"], "") or "",
                basis=s["basis"] + [{"law": "违法行为库", "article": s["violations"].get(row["rule"], "")}],
            )
        )
    Finding.objects.bulk_create(new)
    return len(new)


# ---------------------------------------------------------------------------------------------------------
# Verification (核查)


def _pending(finding: Finding, version: int | None) -> None:
    if finding.status != Finding.Status.PENDING:
        raise JiafaError(ErrorCode.ILLEGAL_STEP, "该线索已核查处理")
    if version is not None and version != finding.version:
        raise JiafaError(ErrorCode.CONFLICT)


def _violation(finding: Finding) -> str:
    codes: dict[str, str] = rulebook().value("waterway.findings.violations", on=finding.start.date())
    return codes[finding.rule]


def confirm(
    finding: Finding, *, actor: User, check_note: str, version: int | None = None, ip: str | None = None
) -> Case:
    """The on-water check confirmed the suspect: a case source (source = waterway) against the vessel's
    owner. Muck findings belong to the comprehensive-enforcement department: they are handed over instead."""
    require(actor, Perm.WATERWAY_VERIFY)
    if not check_note.strip():
        raise JiafaError(ErrorCode.INVALID_INPUT, "请填写核查情况")
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        _pending(finding, version)
        if finding.rule in MUCK_RULES:
            raise JiafaError(ErrorCode.STEP_NOT_READY, "渣土运输线索由综合行政执法部门管辖，请核查后移交")
        vessel = finding.vessel
        if vessel is None:
            raise JiafaError(ErrorCode.STEP_NOT_READY, "该 MMSI 未在船舶登记中，请先登记船舶及其所有人")
        case = case_actions.register(
            actor=actor,
            source=CaseSource.WATERWAY,
            violation_code=_violation(finding),
            occurred_at=finding.start,
            place=findings.place(finding),
            facts=f"{rules.Rule(finding.rule).label}。{check_note.strip()}",
            party_kind=vessel.owner_kind,
            party_name=vessel.owner_name,
            party_id_no=vessel.owner_id_no or "未登记",
            party_phone=vessel.owner_phone,
            vessel_name=vessel.name,
            source_ref=f"waterway-finding-{finding.pk}",
            ip=ip,
        )
        finding.status = Finding.Status.CONFIRMED
        finding.case = case
        _reviewed(finding, actor, check_note, ip, "finding.waterway.confirm")
    return case


MUCK_RULES = (rules.Rule.MUCK_NO_PERMIT, rules.Rule.MUCK_OUTSIDE_DUMPING_ZONE, rules.Rule.MUCK_NEVER_DUMPED)


def hand_over(
    finding: Finding,
    *,
    actor: User,
    to: str,
    check_note: str,
    version: int | None = None,
    ip: str | None = None,
) -> Finding:
    """The check confirmed a suspect another authority deals with (移交): muck dumping to the
    comprehensive-enforcement department, pollution to the environment bureau. The hand-over letter (移交函)
    is issued with it and stored (letters.py)."""
    require(actor, Perm.WATERWAY_VERIFY)
    if not to.strip() or not check_note.strip():
        raise JiafaError(ErrorCode.INVALID_INPUT, "请填写移交单位和核查情况")
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        _pending(finding, version)
        finding.status = Finding.Status.HANDED_OVER
        finding.handed_over_to = to.strip()[:100]
        letters.issue(
            finding, to=finding.handed_over_to, check_note=check_note, actor=actor, on=timezone.localdate()
        )
        _reviewed(
            finding,
            actor,
            check_note,
            ip,
            "finding.waterway.hand_over",
            letter=finding.letter_number,
            sha256=finding.letter_id,
        )
    return finding


def dismiss(
    finding: Finding, *, actor: User, reason: str, version: int | None = None, ip: str | None = None
) -> Finding:
    require(actor, Perm.WATERWAY_VERIFY)
    if not reason.strip():
        raise JiafaError(ErrorCode.INVALID_INPUT, "请填写排除理由")
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        _pending(finding, version)
        finding.status = Finding.Status.DISMISSED
        finding.dismiss_reason = reason.strip()[:200]
        _reviewed(finding, actor, reason, ip, "finding.waterway.dismiss")
    return finding


def _reviewed(
    finding: Finding, actor: User, note: str, ip: str | None, action: str, **detail: str | None
) -> None:
    finding.check_note = note.strip()
    finding.reviewed_by = actor
    finding.reviewed_at = timezone.now()
    finding.version += 1
    finding.save()
    audit.record(
        action,
        actor=actor,
        obj=finding,
        ip=ip,
        detail={"status": finding.status, "note": note.strip(), **detail},
    )
