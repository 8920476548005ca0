"""The waterway maps, drawn as SVG from the registers and the lake (no tiles, no online service): the overview
(水网地图) with waterways, zones, checkpoints, findings and one vessel's day of AIS with its stops, and the
small map of a finding's track segment.

A vessel's day is read from that day's partition of the lake only (`ais_positions/date=YYYY-MM-DD/`), filtered
by MMSI as it is scanned, so a year of AIS costs the page nothing; the line drawn is thinned to what the
screen can show (Douglas–Peucker at under a pixel), the stops are found on every report."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import numpy as np
import polars as pl
import shapely
from django.utils import timezone
from shapely.geometry.base import BaseGeometry

from jiafa.law.book import rulebook
from jiafa.waterway import findings, pipeline, rules
from jiafa.waterway.geometry import GeometryError, parse_line, parse_polygon
from jiafa.waterway.models import Checkpoint, Finding, Waterway, Zone
from jiafa.web import svgmap

log = logging.getLogger(__name__)

MAP_W, MAP_H, MAP_PAD = 960, 620, 40
SMALL_W, SMALL_H, SMALL_PAD = 560, 380, 48
MIN_SPAN_DEG = 0.005  # about 500 m: a single stop still shows its surroundings
SMALL_MIN_SPAN_DEG = 0.003
ZONE_MIN_PX = 10  # a zone smaller than this on screen also gets a marker, so it can be seen and clicked
THIN_PX = 0.6  # the drawn track stays within this many pixels of every report

ZONE_CATEGORIES = {
    "dock": "持证码头、泊位",
    "unlicensed": "无证码头、装卸点",
    "no_berthing": "禁止停泊区",
    "loading": "渣土装载点",
    "dumping": "渣土消纳点",
}


def zone_category(zone: Zone) -> str:
    if zone.kind in (Zone.Kind.DOCK, Zone.Kind.BERTH):
        return "dock" if zone.licensed else "unlicensed"
    return str(zone.kind)


def _rings(geometry: BaseGeometry) -> list[np.ndarray]:
    """Each ring of each polygon, or each line, as an (n, 2) array of (lat, lon)."""
    rings = []
    for part in shapely.get_parts(geometry):
        parts = [part.exterior, *part.interiors] if part.geom_type == "Polygon" else [part]
        rings += [np.asarray(r.coords)[:, [1, 0]] for r in parts]
    return rings


def _project(frame: svgmap.Frame, rings: list[np.ndarray]) -> list[np.ndarray]:
    return [frame.project(r[:, 0], r[:, 1]) for r in rings]


@dataclass
class Shapes:
    """The registers to draw, parsed once; an outline that no longer parses is left out (and logged)."""

    waterways: list[tuple[Waterway, list[np.ndarray]]]
    zones: list[tuple[Zone, list[np.ndarray]]]
    checkpoints: list[Checkpoint]

    def points(self, *, waterways: bool = True) -> list[tuple[float, float]]:
        """Every vertex and checkpoint, as (lat, lon): what the map must show."""
        rings = [r for _, rs in self.zones for r in rs]
        if waterways:
            rings += [r for _, rs in self.waterways for r in rs]
        coords = np.concatenate(rings).tolist() if rings else []
        return [(lat, lon) for lat, lon in coords] + [(c.lat, c.lon) for c in self.checkpoints]


def shapes(zones: list[Zone], checkpoints: list[Checkpoint]) -> Shapes:
    waterways = []
    for w in Waterway.objects.all():
        try:
            waterways.append((w, _rings(parse_line(w.geometry))))
        except GeometryError as e:
            log.warning("waterway %s not drawn: %s", w.code, e)
    outlines = []
    for z in zones:
        try:
            outlines.append((z, _rings(parse_polygon(z.geometry))))
        except GeometryError as e:
            log.warning("zone %s not drawn: %s", z.code, e)
    return Shapes(waterways, outlines, checkpoints)


def _waterways(frame: svgmap.Frame, drawn: Shapes) -> list[dict[str, Any]]:
    """Each centre line, named halfway along its longest part."""
    out = []
    for w, rings in drawn.waterways:
        projected = _project(frame, rings)
        longest = max(projected, key=lambda r: shapely.length(shapely.linestrings(r)) if len(r) > 1 else 0)
        middle = shapely.line_interpolate_point(shapely.linestrings(longest), 0.5, normalized=True)
        x, y = round(middle.x, 1), round(middle.y, 1)
        out.append({"w": w, "path": svgmap.path(projected, closed=False), "x": x, "y": y})
    return out


def _zones(frame: svgmap.Frame, drawn: Shapes) -> list[dict[str, Any]]:
    out = []
    for z, rings in drawn.zones:
        projected = _project(frame, rings)
        xy = np.concatenate(projected)
        (x0, y0), (x1, y1) = xy.min(axis=0), xy.max(axis=0)
        small = max(x1 - x0, y1 - y0) < ZONE_MIN_PX
        out.append(
            {
                "zone": z,
                "category": zone_category(z),
                "path": svgmap.path(projected, closed=True),
                "x": round((x0 + x1) / 2, 1),
                "y": round((y0 + y1) / 2, 1),
                "top": round(y0, 1),
                "small": small,
            }
        )
    return out


def _checkpoints(frame: svgmap.Frame, drawn: Shapes) -> list[dict[str, Any]]:
    return [{"cp": c, "x": frame.x(c.lon), "y": frame.y(c.lat)} for c in drawn.checkpoints]


def _findings(frame: svgmap.Frame, found: list[Finding]) -> list[dict[str, Any]]:
    out = []
    for f in found:
        point = findings.where(f)
        if point is not None:
            x, y = frame.xy(point)
            out.append({"f": f, "x": x, "y": y, "label": rules.Rule(f.rule).label})
    return out


# ── A vessel's day from the lake ───────────────────────────────────────────────────────────────────────

TRACK_SCHEMA = pl.Schema(
    {"time": pl.Datetime("us", "UTC"), "lat": pl.Float64(), "lon": pl.Float64(), "sog_kn": pl.Float64()}
)


def day_track(mmsi: int, day: date) -> pl.DataFrame:
    """The vessel's reports of one day (China time), in time order: that day's partition only."""
    frame = pipeline.scan_days(pipeline.POSITIONS, [day])
    if frame is None:
        return pl.DataFrame(schema=TRACK_SCHEMA)
    return (
        frame.filter(pl.col("mmsi") == mmsi)
        .select("time", "lat", "lon", "sog_kn")
        .sort("time")
        .collect()
        .cast(TRACK_SCHEMA)
    )


def days_with_track(mmsi: int, days: list[date]) -> dict[date, int]:
    """Of `days`, those on which the lake holds reports of the vessel, with their number."""
    frame = pipeline.scan_days(pipeline.POSITIONS, days)
    if frame is None:
        return {}
    counted = (
        frame.filter(pl.col("mmsi") == mmsi)
        .group_by(day=pl.col("time").dt.convert_time_zone(pipeline.CHINA).dt.date())
        .len()
        .collect()
    )
    return dict(sorted(counted.iter_rows(), reverse=True))


def _clock(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def _stops(frame: svgmap.Frame, track: pl.DataFrame, on: date) -> list[dict[str, Any]]:
    """The track's stops (rules.stops, with the thresholds in force `on`), where and how long."""
    book = rulebook()
    stopped = rules.stops(
        track.with_columns(mmsi=pl.lit(0)),
        start_kn=book.value("waterway.stop.start_kn", on=on),
        end_kn=book.value("waterway.stop.end_kn", on=on),
    )
    return [
        {
            "x": frame.x(s["lon"]),
            "y": frame.y(s["lat"]),
            "minutes": findings.duration(s["minutes"]),
            "from": _clock(s["start"]),
            "to": _clock(s["end"]),
        }
        for s in stopped.iter_rows(named=True)
    ]


def _end(frame: svgmap.Frame, xy: np.ndarray, moment: datetime) -> dict[str, Any]:
    """A track's first or last report, its time written on the side away from the nearer edge."""
    x, y = float(xy[0]), float(xy[1])
    left = x > frame.width / 2
    return {
        "x": x,
        "y": y,
        "time": _clock(moment),
        "dx": -8 if left else 8,
        "anchor": "end" if left else "start",
    }


def _track(frame: svgmap.Frame, track: pl.DataFrame, on: date) -> dict[str, Any]:
    """The day's line, split where the AIS fell silent longer than the dark-gap threshold (drawn dashed
    across the gap), thinned; its stops; its first and last report."""
    book = rulebook()
    gap = float(book.value("waterway.dark.gap_minutes", on=on)["default"])
    xy = frame.project(track["lat"].to_numpy(), track["lon"].to_numpy())
    minutes = track["time"].diff().dt.total_seconds().fill_null(0).to_numpy() / 60
    breaks = np.flatnonzero(minutes > gap)
    pieces = np.split(np.arange(len(xy)), breaks)
    segments = []
    for piece in pieces:
        if len(piece) > 1:
            line = shapely.simplify(shapely.linestrings(xy[piece]), THIN_PX)
            segments.append(np.asarray(line.coords))
    gaps = [
        {"points": svgmap.polyline(xy[[i - 1, i]]), "minutes": findings.duration(minutes[i])} for i in breaks
    ]
    times = track["time"].to_list()
    return {
        "segments": [svgmap.polyline(s) for s in segments],
        "gaps": gaps,
        "stops": _stops(frame, track, on),
        "start": _end(frame, xy[0], times[0]),
        "end": _end(frame, xy[-1], times[-1]),
        "reports": track.height,
        "drawn": sum(len(s) for s in segments),
    }


def overview(
    drawn: Shapes, found: list[Finding], track: pl.DataFrame, day: date | None
) -> dict[str, Any] | None:
    """The overview: fitted to the vessel's day when one is shown, else to everything drawn."""
    if track.height:
        frame = svgmap.fit(
            list(zip(track["lat"], track["lon"], strict=True)), MAP_W, MAP_H, MAP_PAD, MIN_SPAN_DEG
        )
    else:
        points = drawn.points() + [p for p in map(findings.where, found) if p is not None]
        if not points:
            return None
        frame = svgmap.fit(points, MAP_W, MAP_H, MAP_PAD, MIN_SPAN_DEG)
    return {
        **frame.furniture(),
        "waterways": _waterways(frame, drawn),
        "zones": _zones(frame, drawn),
        "checkpoints": _checkpoints(frame, drawn),
        "findings": _findings(frame, found),
        "track": _track(frame, track, day) if track.height and day else None,
    }


# ── One finding ────────────────────────────────────────────────────────────────────────────────────────


def finding_map(f: Finding) -> dict[str, Any] | None:
    """The finding's track segment drawn as the overview draws a day (gaps dashed, stops ringed), each report
    a dot (red where stopped), with the finding's zone or checkpoint."""
    zones = [f.zone] if f.zone is not None else []
    checkpoints = [f.checkpoint] if f.checkpoint is not None else []
    drawn = shapes(zones, checkpoints)
    segment = _segment(f)
    own = findings.where(f)
    points = list(zip(segment["lat"], segment["lon"], strict=True)) + drawn.points(waterways=False)
    points += [own] if own else []
    if not points:
        return None
    frame = svgmap.fit(points, SMALL_W, SMALL_H, SMALL_PAD, SMALL_MIN_SPAN_DEG)
    on = findings.day_of(f)
    stop_kn = rulebook().value("waterway.stop.start_kn", on=on)
    dots = [
        {
            "x": frame.x(lon),
            "y": frame.y(lat),
            "stopped": knots is not None and knots <= stop_kn,
            "title": f"{_clock(t)} · {'—' if knots is None else knots} 节",
        }
        for t, lat, lon, knots in segment.iter_rows()
    ]
    return {
        **frame.furniture(),
        "waterways": _waterways(frame, drawn),
        "zones": _zones(frame, drawn),
        "checkpoints": _checkpoints(frame, drawn),
        "track": _track(frame, segment, on) if segment.height else None,
        "dots": dots,
        "finding": {"x": frame.x(own[1]), "y": frame.y(own[0])} if own else None,
    }


def _segment(f: Finding) -> pl.DataFrame:
    """The finding's stored track segment as a frame of the lake's columns."""
    return pl.DataFrame(
        {
            "time": [datetime.fromisoformat(p[0]) for p in f.track],
            "lat": [float(p[1]) for p in f.track],
            "lon": [float(p[2]) for p in f.track],
            "sog_kn": [p[3] for p in f.track],
        },
        schema=TRACK_SCHEMA,
    )
