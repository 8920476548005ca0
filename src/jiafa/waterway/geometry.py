"""Zone polygons as a bureau writes them (WKT or GeoJSON, longitude before latitude, WGS 84): parsing and the
planar approximation the rules measure in. Pure code."""

from __future__ import annotations

import json
import math

import shapely
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_M = 6_371_008.8


class GeometryError(ValueError):
    """A zone outline that can't be used; the message (Chinese) says why."""


def parse_polygon(text: str) -> BaseGeometry:
    """A Polygon or MultiPolygon from WKT (`POLYGON ((lon lat, …))`) or GeoJSON (a geometry or a Feature)."""
    geometry = _parse(text, "区域范围", "多边形")
    if geometry.geom_type not in ("Polygon", "MultiPolygon"):
        raise GeometryError("区域范围应为多边形（Polygon 或 MultiPolygon）")
    if not geometry.is_valid:
        raise GeometryError(f"多边形无效：{shapely.is_valid_reason(geometry)}")
    return geometry


def _parse(text: str, what: str, shape: str) -> BaseGeometry:
    text = text.strip()
    if not text:
        raise GeometryError(f"{what}为空")
    try:
        if text.startswith("{"):
            document = json.loads(text)
            if isinstance(document, dict) and document.get("type") == "Feature":
                document = document.get("geometry")
            geometry = shapely.from_geojson(json.dumps(document))
        else:
            geometry = shapely.from_wkt(text)
    except (ValueError, TypeError, shapely.errors.GEOSException) as e:
        raise GeometryError(f"{what}无法识别（应为 WKT 或 GeoJSON {shape}）：{e}") from e
    if geometry is None or geometry.is_empty:
        raise GeometryError(f"{what}为空")
    minx, miny, maxx, maxy = geometry.bounds
    if not (-180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90):
        raise GeometryError("坐标超出经纬度范围（应先经度后纬度）")
    return geometry


def parse_line(text: str) -> BaseGeometry:
    """A LineString or MultiLineString (a waterway's centre line) from WKT or GeoJSON."""
    geometry = _parse(text, "航道线形", "LineString")
    if geometry.geom_type not in ("LineString", "MultiLineString"):
        raise GeometryError("航道线形应为折线（LineString 或 MultiLineString）")
    return geometry


def metres_per_degree(lat: float) -> tuple[float, float]:
    """Metres per degree of longitude and latitude near `lat`: a plane is exact enough within a city."""
    per_lat = math.pi * EARTH_RADIUS_M / 180
    return per_lat * math.cos(math.radians(lat)), per_lat
