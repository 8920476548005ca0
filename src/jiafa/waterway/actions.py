"""Waterway use cases: detection over the lake into findings, and the verification (核查) of a finding.
Each writes its audit entry in the same transaction."""

from __future__ import annotations

import io
import mimetypes
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any, cast
from zoneinfo import ZoneInfo

import polars as pl
from django.db import transaction
from django.utils import timezone

from jiafa.cases import actions as case_actions
from jiafa.cases.models import Case
from jiafa.cases.models import Source as CaseSource
from jiafa.core import actions as evidence_actions
from jiafa.core import audit
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import EvidenceBlob, EvidenceItem, OrgUnit, User
from jiafa.core.roles import Perm, require
from jiafa.law.book import rulebook
from jiafa.overload.review import partner_officer
from jiafa.waterway import findings, letters, packs, pipeline, rules
from jiafa.waterway.geometry import parse_polygon
from jiafa.waterway.models import Checkpoint, Examined, Finding, MuckPermit, Vessel, Zone


@dataclass
class DetectResult:
    positions: int  # AIS positions read (the new days and the context the rules need)
    passages: int
    found: int
    created: int
    updated: int = 0  # pending findings that grew with the new days (a stop still going on…)
    days: list[str] = field(default_factory=list)  # the days with new data, examined
    since: str | None = None  # from when findings were judged anew (None: over everything)

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# Each finding keeps its vessel's track from this long before it began to this long after it ended: where
# it came from and went to, and, for a checkpoint record, the passage itself. Half an hour is about 3 km at
# a barge's 6 knots — the reach before the next lock or bridge on Jiaxing's canals.
TRACK_MARGIN = timedelta(minutes=30)
TRACK_POINTS = 500  # at most about this many points a finding (plus every stop's first and last)
CHINA = ZoneInfo("Asia/Shanghai")
AREAS = (pipeline.POSITIONS, pipeline.STATIC, pipeline.PASSAGES)


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
        "voyage": value("muck.voyage_hours"),
        "violations": value("findings.violations"),
        "basis": {
            str(rule): [book.get(f"waterway.{k}", on=on).basis for k in keys]
            for rule, keys in rules.SETTINGS.items()
        },
    }


def _day_start(day: str) -> datetime:
    """Midnight of a day in China time, in UTC (as the lake's times)."""
    return datetime.combine(date.fromisoformat(day), time.min, tzinfo=CHINA).astimezone(UTC)


def _day_of(moment: datetime) -> str:
    return moment.astimezone(CHINA).date().isoformat()


@dataclass
class _Window:
    """What a run judges anew, from the bookmark (docs/decisions/0006-waterway.md, "Detection bookmark").
    `start`: midnight (China time) of the first day with new data; the rules judge stops ending from
    `stops_from`, checkpoint sightings from `sightings_from`, checkpoint reads and MMSI pairs from `start`;
    positions are read from `read_from` (and further back for vessels stopped since before it)."""

    start: datetime
    stops_from: datetime
    sightings_from: datetime
    read_from: datetime


def _window(fresh: list[str], examined: set[str], voyage: timedelta) -> _Window:
    start = _day_start(fresh[0])
    before = [d for d in examined if d < fresh[0]]
    # Until the end of the last day examined before, the lake was complete; what was still undecided there
    # (a sighting with its silence under the gap, a voyage not over) is judged again.
    known = min(start, _day_start(max(before)) + timedelta(days=1)) if before else start
    sightings_from = known - rules.LOOKAROUND
    stops_from = min(sightings_from, known - voyage)
    return _Window(start, stops_from, sightings_from, stops_from - rules.LOOKAROUND)


def _fresh(held: dict[str, pipeline.Parts], bookmark: dict[tuple[str, str], int]) -> list[str]:
    """The days with parts detection has not read. A day whose parts end below its bookmark was rebuilt
    (the lake emptied and loaded again): all of it is new."""
    days = set()
    for area, by_day in held.items():
        for day, parts in by_day.items():
            last = parts[-1][0] if parts else 0
            done = bookmark.get((area, day), 0)
            if last > done or (parts and last < done):
                days.add(day)
    return sorted(days)


def _bookmark() -> dict[tuple[str, str], int]:
    return {(e.area, e.day.isoformat()): e.part for e in Examined.objects.all()}


def _set_bookmark(held: dict[str, pipeline.Parts]) -> None:
    marks = {
        (area, day): parts[-1][0] for area, by_day in held.items() for day, parts in by_day.items() if parts
    }
    current = {(e.area, e.day.isoformat()): e for e in Examined.objects.all()}
    changed, new = [], []
    for (area, day), part in marks.items():
        mark = current.get((area, day))
        if mark is None:
            new.append(Examined(area=area, day=date.fromisoformat(day), part=part))
        elif mark.part != part:
            mark.part = part
            changed.append(mark)
    Examined.objects.bulk_create(new)
    Examined.objects.bulk_update(changed, ["part"])


def detect(*, on: date | None = None, actor: User | None = None, everything: bool = False) -> DetectResult:
    """The rules over what the lake received since the last run (its days, with the context each rule needs:
    a stop under way since before them, the voyage of a muck vessel, the AIS around a sighting), or over
    everything (`everything`, and the first run). A finding already recorded (same rule, vessel and start)
    is not recorded again; one still pending that the new days changed (a stop that went on) is updated. The
    thresholds are those in force `on` (default today)."""
    from jiafa.waterway import nmea, records  # the decoders' schemas

    s = _settings(on or timezone.localdate())
    held = {area: pipeline.parts(area) for area in AREAS}
    bookmark = {} if everything else _bookmark()
    fresh = _fresh(held, bookmark)
    if not fresh:
        with transaction.atomic():
            audit.record("waterway.detect", actor=actor, detail={"days": [], "found": 0, "created": 0})
        return DetectResult(0, 0, 0, 0)
    window = None
    if bookmark:
        examined = {day for (area, day) in bookmark if area == pipeline.POSITIONS}
        window = _window(fresh, examined, timedelta(hours=s["voyage"]))
    stop = s["stop"]
    days = sorted(held[pipeline.POSITIONS])
    horizon = _day_start(days[-1]) + timedelta(days=1) if days else None  # days are complete once loaded
    since = None if window is None else window.read_from
    positions = _read(held, pipeline.POSITIONS, nmea.POSITION_SCHEMA, since)
    if window is not None:
        read_from = _day_start(_day_of(window.read_from))
        positions = _stopped_since_before(positions, held, read_from, window.stops_from, stop["end_kn"])
    static = _read(held, pipeline.STATIC, nmea.STATIC_SCHEMA, since)
    passages = _read(held, pipeline.PASSAGES, records.PASSAGE_SCHEMA, since)
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
    reads, sighted = passages, passages
    if window is not None:
        reads = passages.filter(pl.col("time") >= window.start)
        sighted = passages.filter(pl.col("time") >= window.sightings_from)
    sightings = (
        sighted.filter(pl.col("confidence") >= s["confidence"])
        .with_columns(key=rules.normalise_name(pl.col("ship_name")))
        .join(vessels.select("mmsi", key=rules.normalise_name(pl.col("name"))), on="key")
        .join(checkpoints.select("checkpoint", "waterway"), on="checkpoint")
    )
    permits = [
        rules.Permit(p.vessel.mmsi, p.loading_zone_id, p.dumping_zone_id, p.valid_from, p.valid_to)
        for p in MuckPermit.objects.select_related("vessel")
    ]
    muck_vessels = vessels.filter(pl.col("kind") == Vessel.Kind.MUCK)["mmsi"].to_list()
    stops_from = None if window is None else window.stops_from
    pairs = rules.shared_mmsi(positions, max_speed_kn=s["max_speed"])
    if window is not None:
        pairs = pairs.filter(pl.col("end") >= window.start)
    found = pl.concat(
        [
            rules.illegal_berthing(
                positions,
                zones.values(),
                **stop,
                margin_m=s["margin_m"],
                min_minutes=s["berthing_minutes"],
                since=stops_from,
            ),
            rules.ais_dark(positions, sightings, gap_minutes=s["dark"], horizon=horizon),
            rules.name_mismatch(
                positions,
                static,
                reads,
                checkpoints.select("checkpoint", "lat", "lon"),
                window_minutes=s["window"],
                radius_m=s["radius"],
                confidence_min=s["confidence"],
                registered=vessels.select("mmsi", "name"),
            ),
            pairs,
            rules.muck(
                positions,
                muck_vessels,
                permits,
                zones,
                **stop,
                margin_m=s["margin_m"],
                unload_minutes=s["unload"],
                voyage_hours=s["voyage"],
                horizon=horizon,
                since=stops_from,
            ),
        ]
    )
    with transaction.atomic():
        created, updated = _record(found, positions, passages, s, held, window)
        _set_bookmark(held)
        audit.record(
            "waterway.detect",
            actor=actor,
            detail={
                "days": fresh,
                "since": window.start.astimezone(CHINA).isoformat() if window else None,
                "positions": positions.height,
                "found": found.height,
                "created": created,
                "updated": updated,
            },
        )
    return DetectResult(
        positions.height,
        passages.height,
        found.height,
        created,
        updated,
        days=fresh,
        since=window.start.astimezone(CHINA).isoformat() if window else None,
    )


def _read(
    held: dict[str, pipeline.Parts], area: str, schema: pl.Schema, since: datetime | None
) -> pl.DataFrame:
    days = [d for d in held[area] if since is None or d >= _day_of(since)]
    return pipeline.read(held[area], days, schema)


def _stopped_since_before(
    positions: pl.DataFrame,
    held: dict[str, pipeline.Parts],
    read_from: datetime,
    stops_from: datetime,
    end_kn: float,
) -> pl.DataFrame:
    """The positions (read from `read_from`, a midnight), and before them those of the vessels that may have
    been stopped since before `stops_from` (so that every stop ending after it is whole), read a day at a
    time further back: a vessel is settled by a report under way before `stops_from`, or by a silence
    longer than LOOKAROUND (a stop does not span one: rules.with_stopped)."""
    earlier = sorted((d for d in held[pipeline.POSITIONS] if d < _day_of(read_from)), reverse=True)
    frames = [positions]
    while earlier:
        unsettled = _unsettled(pl.concat(frames), stops_from, end_kn, read_from)
        if not unsettled:
            break
        day = earlier.pop(0)
        frames.insert(0, pipeline.read(held[pipeline.POSITIONS], [day], positions.schema, mmsi=unsettled))
        read_from = _day_start(day)
    return pl.concat(frames)


def _unsettled(
    positions: pl.DataFrame, stops_from: datetime, end_kn: float, read_from: datetime
) -> list[int]:
    """The vessels reporting from `stops_from` on whose state there is not settled by what was read (from
    `read_from` on): no report under way before it, and no silence over LOOKAROUND before one of its
    reports up to its first from `stops_from` (before `read_from`, nothing is known: a vessel's first report
    read counts as after a silence if it came LOOKAROUND or more after `read_from`)."""
    frame = positions.select("mmsi", "time", "sog_kn").sort("mmsi", "time")
    previous = pl.col("time").shift(1).over("mmsi")
    settles = (
        pl.when(previous.is_null())
        .then(pl.col("time") - read_from >= rules.LOOKAROUND)
        .otherwise(pl.col("time") - previous > rules.LOOKAROUND)
    )
    frame = frame.with_columns(
        settles=settles | ((pl.col("sog_kn") >= end_kn) & (pl.col("time") < stops_from)),
        later=pl.col("time") >= stops_from,
    ).with_columns(first_later=pl.col("later") & ~pl.col("later").shift(1).over("mmsi").fill_null(False))
    per_vessel = (
        frame.filter(~pl.col("later") | pl.col("first_later"))
        .group_by("mmsi")
        .agg(settled=pl.col("settles").any(), active=pl.col("later").any())
    )
    return per_vessel.filter(pl.col("active") & ~pl.col("settled"))["mmsi"].to_list()


def _zones() -> list[Zone]:
    return list(Zone.objects.prefetch_related("allowed_vessels"))


def _allowed(zone: Zone) -> frozenset[int]:
    return frozenset(v.mmsi for v in zone.allowed_vessels.all())


def _record(
    found: pl.DataFrame,
    positions: pl.DataFrame,
    passages: pl.DataFrame,
    s: dict[str, Any],
    held: dict[str, pipeline.Parts],
    window: _Window | None,
) -> tuple[int, int]:
    """New findings, with their track segments; pending ones found again with other numbers, or whose track
    reaches into the new days, updated. Returns how many were created and updated."""
    if found.is_empty():
        return 0, 0
    rows = found.to_dicts()
    for row in rows:
        row["key"] = f"{row['rule']}|{row['mmsi']}|{row['start'].isoformat()}"
    rows = list({row["key"]: row for row in reversed(rows)}.values())[::-1]  # the first of each key
    existing = {f.key: f for f in Finding.objects.filter(key__in=[row["key"] for row in rows])}
    fresh = [r for r in rows if r["key"] not in existing]
    changed = [
        r
        for r in rows
        if (f := existing.get(r["key"])) is not None
        and f.status == Finding.Status.PENDING
        and (
            (f.end, f.value) != (r["end"], r["value"])
            or (window is not None and r["end"] + TRACK_MARGIN >= window.start)
        )
    ]
    read_from = None if window is None else _day_start(_day_of(window.read_from))
    wanted = pl.DataFrame(
        [(r["mmsi"], r["start"], r["end"]) for r in fresh + changed],
        schema=found.select("mmsi", "start", "end").schema,
        orient="row",
    )
    tracks = _tracks(wanted, positions, held, s, read_from)
    vessels = {v.mmsi: v for v in Vessel.objects.filter(mmsi__in=found["mmsi"].unique().to_list())}
    zones = Zone.objects.in_bulk()
    checkpoints = {c.code: c for c in Checkpoint.objects.all()}
    photos = dict(passages.select("record_id", "photo").drop_nulls().iter_rows())
    root = OrgUnit.objects.filter(parent=None).order_by("pk").first()
    new = []
    for row, track in zip(fresh, tracks, strict=False):
        vessel = vessels.get(row["mmsi"])
        zone = zones.get(row["zone"]) if row["zone"] is not None else None
        checkpoint = checkpoints.get(row["checkpoint"] or "")
        unit = next((o.org_unit for o in (zone, checkpoint, vessel) if o is not None), root)
        if unit is None:
            raise JiafaError(ErrorCode.INVALID_INPUT, "尚未导入组织机构，无法确定线索的管辖单位")
        new.append(
            Finding(
                key=row["key"],
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
                basis=s["basis"][row["rule"]]
                + [{"law": "违法行为库", "article": s["violations"].get(row["rule"], "")}],
                track=track,
            )
        )
    Finding.objects.bulk_create(new)
    updates = []
    for row, track in zip(changed, tracks[len(fresh) :], strict=True):
        finding = existing[row["key"]]
        if (finding.end, finding.value, finding.lat, finding.lon, finding.track) == (
            row["end"],
            row["value"],
            row["lat"],
            row["lon"],
            track,
        ):
            continue
        finding.end, finding.value, finding.lat, finding.lon = (
            row["end"],
            row["value"],
            row["lat"],
            row["lon"],
        )
        finding.track = track
        finding.version += 1
        updates.append(finding)
    Finding.objects.bulk_update(updates, ["end", "value", "lat", "lon", "track", "version"])
    return len(new), len(updates)


def _tracks(
    findings: pl.DataFrame,
    positions: pl.DataFrame,
    held: dict[str, pipeline.Parts],
    s: dict[str, Any],
    read_from: datetime | None,
) -> list[list[list[object]]]:
    """The findings' track segments (rules.segments). A segment reaching back before what detection read of
    its vessel (from `read_from`; None: everything) is completed from the lake, for all such findings at
    once."""
    if findings.is_empty():
        return []
    if read_from is not None:
        first = positions.group_by("mmsi").agg(first=pl.col("time").min())
        short = (
            findings.join(first, on="mmsi", how="left")
            .with_columns(until=pl.coalesce("first", pl.lit(read_from).dt.convert_time_zone("UTC")))
            .filter(pl.col("start") - TRACK_MARGIN < pl.col("until"))
        )
        if short.height:
            lo = _day_of(cast(datetime, short["start"].min()) - TRACK_MARGIN)
            hi = _day_of(cast(datetime, short["until"].max()))
            days = [d for d in held[pipeline.POSITIONS] if lo <= d <= hi]
            vessels = short["mmsi"].unique()
            earlier = pipeline.read(held[pipeline.POSITIONS], days, positions.schema, mmsi=vessels)
            positions = pl.concat([earlier, positions]).unique(["mmsi", "time", "lat", "lon"], keep="first")
    return rules.segments(positions, findings, margin=TRACK_MARGIN, max_points=TRACK_POINTS, **s["stop"])


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
    owner, handled by the checking officer and a partner of the finding's unit (Art. 42: at least two
    certified officers). Muck findings belong to the comprehensive-enforcement department: they are handed
    over instead."""
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
        partner = partner_officer(finding.org_unit, actor)
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
            officers=[actor, partner],
            ip=ip,
        )
        finding.status = Finding.Status.CONFIRMED
        finding.case = case
        to_case = partial(case_actions.attach_evidence, case.pk, actor=actor, source_material=True, ip=ip)
        _reviewed(finding, actor, check_note, ip, "finding.waterway.confirm", evidence=to_case)
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
        to_finding = partial(
            evidence_actions.add_evidence, actor=actor, org_unit=finding.org_unit, linked=finding, ip=ip
        )
        _reviewed(
            finding,
            actor,
            check_note,
            ip,
            "finding.waterway.hand_over",
            evidence=to_finding,
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
    finding: Finding,
    actor: User,
    note: str,
    ip: str | None,
    action: str,
    *,
    evidence: Callable[..., EvidenceItem] | None = None,
    **detail: str | None,
) -> None:
    """The check's outcome saved and audited (with `detail`); with `evidence` (how to add a file: to the case,
    or linked to the finding), the evidence pack and the checkpoint photos join there, and the finding keeps
    the pack."""
    finding.check_note = note.strip()
    finding.reviewed_by = actor
    finding.reviewed_at = timezone.now()
    finding.version += 1
    if evidence is not None:
        finding.evidence = _evidence(finding, evidence)
    finding.save()
    recorded: dict[str, Any] = {"status": finding.status, "note": note.strip(), **detail}
    if finding.evidence_id:
        recorded["evidence"] = finding.evidence_id
    audit.record(action, actor=actor, obj=finding, ip=ip, detail=recorded)


def _evidence(finding: Finding, add: Callable[..., EvidenceItem]) -> EvidenceBlob:
    """The finding's evidence pack (packs.py), and the photos of its checkpoint record the store holds."""
    data = packs.build(finding)
    label = rules.Rule(finding.rule).label
    item = add(
        io.BytesIO(data),
        title=f"水网线索证据包（MMSI {finding.mmsi}，{label}）",
        kind=EvidenceItem.Kind.RECORD,
        original_name=packs.name(finding),
        content_type=packs.CONTENT_TYPE,
        description="检测规则与阈值及其依据、轨迹片段（CSV、GeoJSON）、卡口记录与照片的 SHA-256",
        collected_at=finding.start,
    )
    for photo in packs.photos(finding):
        with open(photo.path, "rb") as f:
            add(
                f,
                title=f"卡口照片（{finding.record_id}）",
                kind=EvidenceItem.Kind.PHOTO,
                original_name=f"{finding.record_id}{mimetypes.guess_extension(photo.content_type) or ''}",
                content_type=photo.content_type,
                description=f"卡口抓拍记录 {finding.record_id} 的照片",
                collected_at=finding.start,
            )
    return item.blob
