"""The evidence pack of a waterway finding (证据包): one ZIP file of

    finding.json     the facts (rule, vessel, times in China time, place, the number measured against its
                     threshold), every threshold the rule judged by with its value and basis as in force on
                     the day (law/data/rules/waterway.json), the on-water check, and the SHA-256 of each
                     other file of the pack
    track.csv        the track segment (Finding.track): UTC and China time, latitude, longitude, knots
    track.geojson    the same as a line, with the finding's start and end, its zone and its checkpoint
    checkpoint.csv   the checkpoint record the finding rests on (if any), its photo by SHA-256 and whether
                     the evidence store holds it

The same finding gives the same bytes (entries in a fixed order, dated the finding's start), so the pack's
SHA-256 names it. It is stored when the finding is confirmed (and joins the case as the material of its
source: cases.actions.attach_evidence) or handed over (linked to the finding), as the overload module's
packs join their cases; photos the store holds join the same way.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from datetime import datetime, timedelta
from typing import Any

import polars as pl
import shapely
from django.utils import timezone

from jiafa.core.models import EvidenceBlob
from jiafa.law.book import rulebook
from jiafa.waterway import pipeline, records, rules
from jiafa.waterway.geometry import parse_polygon
from jiafa.waterway.models import Finding

CONTENT_TYPE = "application/zip"
ZIP_EPOCH = datetime(1980, 1, 1)  # the earliest time a ZIP entry can carry


def name(finding: Finding) -> str:
    return f"waterway-finding-{finding.pk}.zip"


def build(finding: Finding) -> bytes:
    """The finding's pack (see the module's docstring)."""
    passages = checkpoint_records(finding)
    photos = [
        {"record_id": r["record_id"], "sha256": r["photo"], "stored": r["photo"] in stored}
        for stored in [_stored(passages)]
        for r in passages
        if r["photo"]
    ]
    files = {
        "track.csv": _track_csv(finding.track),
        "track.geojson": _geojson(finding),
        "checkpoint.csv": _passages_csv(passages),
    }
    facts = {
        "finding": _facts(finding),
        "rule": _rule(finding),
        "check": {
            "status": finding.get_status_display(),
            "note": finding.check_note,
            "by": str(finding.reviewed_by) if finding.reviewed_by else "",
            "at": _china(finding.reviewed_at),
            "handed_over_to": finding.handed_over_to,
        },
        "photos": photos,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }
    summary = json.dumps(facts, ensure_ascii=False, indent=1).encode()
    moment = max(timezone.localtime(finding.start).replace(tzinfo=None), ZIP_EPOCH)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for entry, data in [("finding.json", summary), *files.items()]:
            info = zipfile.ZipInfo(entry, date_time=moment.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, data)
    return out.getvalue()


def checkpoint_records(finding: Finding) -> list[dict[str, Any]]:
    """The checkpoint record a finding names, as the lake holds it (from the days of the finding)."""
    if not finding.record_id:
        return []
    first, last = (timezone.localtime(t).date() for t in (finding.start, finding.end))
    days = [first + timedelta(days=k) for k in range(-1, (last - first).days + 1)]
    frame = pipeline.scan_days(pipeline.PASSAGES, days)  # those days' folders only, not the whole lake's list
    if frame is None:
        return []
    rows = frame.filter(pl.col("record_id") == finding.record_id).collect()
    return rows.unique("record_id", keep="first").to_dicts()


def photos(finding: Finding) -> list[EvidenceBlob]:
    """The photos of the finding's checkpoint record that the evidence store holds."""
    hashes = [r["photo"] for r in checkpoint_records(finding) if r["photo"]]
    return list(EvidenceBlob.objects.filter(sha256__in=hashes).order_by("sha256"))


def _stored(passages: list[dict[str, Any]]) -> set[str]:
    hashes = [r["photo"] for r in passages if r["photo"]]
    return set(EvidenceBlob.objects.filter(sha256__in=hashes).values_list("sha256", flat=True))


def _china(moment: datetime | None) -> str:
    return timezone.localtime(moment).isoformat() if moment is not None else ""


def _facts(finding: Finding) -> dict[str, Any]:
    vessel = finding.vessel
    zone, checkpoint = finding.zone, finding.checkpoint
    return {
        "key": finding.key,
        "rule": finding.rule,
        "rule_label": rules.Rule(finding.rule).label,
        "mmsi": finding.mmsi,
        "vessel": {"name": vessel.name, "owner": vessel.owner_name, "kind": vessel.get_kind_display()}
        if vessel
        else None,
        "start": _china(finding.start),
        "end": _china(finding.end),
        "lat": finding.lat,
        "lon": finding.lon,
        "value": finding.value,
        "threshold": finding.threshold,
        "unit": rules.UNITS[rules.Rule(finding.rule)],
        "zone": {
            "code": zone.code,
            "name": zone.name,
            "kind": zone.get_kind_display(),
            "licensed": zone.licensed,
        }
        if zone
        else None,
        "checkpoint": {"code": checkpoint.code, "name": checkpoint.name, "waterway": checkpoint.waterway}
        if checkpoint
        else None,
        "ais_name": finding.ais_name,
        "seen_name": finding.seen_name,
        "record_id": finding.record_id,
    }


def _rule(finding: Finding) -> dict[str, Any]:
    """The thresholds the rule judged by, as in force on the finding's day, with their basis."""
    book = rulebook()
    on = timezone.localtime(finding.start).date()
    settings = []
    for key in rules.SETTINGS[rules.Rule(finding.rule)]:
        rule = book.get(f"waterway.{key}", on=on)
        settings.append(
            {
                "key": rule.key,
                "value": rule.value,
                "unit": rule.unit,
                "law": rule.law,
                "article": rule.article,
                "verified": rule.verified,
                "effective_from": rule.effective_from.isoformat(),
                "note": rule.note,
            }
        )
    violations = book.value("waterway.findings.violations", on=on)
    return {"settings": settings, "violation": violations.get(finding.rule, ""), "basis": finding.basis}


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")  # the byte-order mark: Excel reads Chinese as UTF-8


def _track_csv(track: list[list[Any]]) -> bytes:
    rows = []
    for moment, lat, lon, knots in track:
        utc = datetime.fromisoformat(moment.replace("Z", "+00:00"))
        rows.append([moment, _china(utc), lat, lon, knots])
    return _csv(["time_utc", "time_china", "lat", "lon", "speed_kn"], rows)


def _passages_csv(passages: list[dict[str, Any]]) -> bytes:
    columns = list(records.PASSAGE_SCHEMA.names())
    rows = [[_china(r[c]) if c == "time" else r[c] for c in columns] for r in passages]
    return _csv(columns, rows)


def _geojson(finding: Finding) -> bytes:
    line = [[lon, lat] for _, lat, lon, _ in finding.track]
    features: list[dict[str, Any]] = []
    if line:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line}
                if len(line) > 1
                else {"type": "Point", "coordinates": line[0]},
                "properties": {"mmsi": finding.mmsi, "from": finding.track[0][0], "to": finding.track[-1][0]},
            }
        )
    if finding.lat is not None and finding.lon is not None:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [finding.lon, finding.lat]},
                "properties": {"what": "finding", "start": _china(finding.start), "end": _china(finding.end)},
            }
        )
    if finding.zone is not None:
        outline = json.loads(shapely.to_geojson(parse_polygon(finding.zone.geometry)))
        features.append(
            {
                "type": "Feature",
                "geometry": outline,
                "properties": {"what": "zone", "code": finding.zone.code},
            }
        )
    if finding.checkpoint is not None:
        checkpoint = finding.checkpoint
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [checkpoint.lon, checkpoint.lat]},
                "properties": {"what": "checkpoint", "code": checkpoint.code},
            }
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()
