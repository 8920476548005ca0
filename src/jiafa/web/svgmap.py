"""Maps drawn from our own data as SVG, with no tiles and no online service: an equirectangular projection
(longitude scaled by the cosine of the middle latitude, true enough over a city) fitted to what the map shows,
with a graticule and a scale bar for the template to draw."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

KM_PER_DEG_LAT = 111.32
GRID_STEPS = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.25, 0.5, 1.0)  # degrees
SCALE_METRES = (20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 20_000, 50_000, 100_000)
SCALE_PX = 120  # the scale bar's length is the round distance nearest to this


@dataclass(frozen=True)
class Frame:
    """A projection onto a `width` × `height` viewport: `scale` pixels per degree of latitude around the
    centre."""

    width: int
    height: int
    lat_c: float
    lon_c: float
    kx: float
    scale: float

    def x(self, lon: float) -> float:
        return round(self.width / 2 + (lon - self.lon_c) * self.kx * self.scale, 1)

    def y(self, lat: float) -> float:
        return round(self.height / 2 - (lat - self.lat_c) * self.scale, 1)

    def xy(self, point: tuple[float, float]) -> tuple[float, float]:
        """(lat, lon) → (x, y)."""
        return self.x(point[1]), self.y(point[0])

    def points(self, points: Iterable[tuple[float, float]]) -> str:
        """(lat, lon) pairs as an SVG `points` attribute."""
        return " ".join(f"{x},{y}" for x, y in map(self.xy, points))

    def project(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Many points at once: an (n, 2) array of x, y."""
        x = self.width / 2 + (lon - self.lon_c) * self.kx * self.scale
        y = self.height / 2 - (lat - self.lat_c) * self.scale
        return np.round(np.column_stack([x, y]), 1)

    @property
    def metres_per_px(self) -> float:
        return KM_PER_DEG_LAT * 1000 / self.scale

    def graticule(self, lines: int = 8) -> dict[str, list[dict[str, Any]]]:
        west = self.lon_c - self.width / 2 / (self.kx * self.scale)
        east = self.lon_c + self.width / 2 / (self.kx * self.scale)
        south = self.lat_c - self.height / 2 / self.scale
        north = self.lat_c + self.height / 2 / self.scale
        step = next((s for s in GRID_STEPS if max(east - west, north - south) / s <= lines), 2.0)
        lons = [k * step for k in range(math.ceil(west / step), math.floor(east / step) + 1)]
        lats = [k * step for k in range(math.ceil(south / step), math.floor(north / step) + 1)]
        return {
            "verticals": [{"x": self.x(lon), "label": f"{round(lon, 3):g}°E"} for lon in lons],
            "horizontals": [{"y": self.y(lat), "label": f"{round(lat, 3):g}°N"} for lat in lats],
        }

    def scale_bar(self) -> dict[str, Any]:
        metres = min(SCALE_METRES, key=lambda m: abs(m / self.metres_per_px - SCALE_PX))
        label = f"{metres // 1000:g} 公里" if metres >= 1000 else f"{metres} 米"
        return {"label": label, "px": round(metres / self.metres_per_px, 1), "y": self.height - 36}

    def furniture(self) -> dict[str, Any]:
        """What every map draws besides its data: size, graticule, scale bar."""
        return {"width": self.width, "height": self.height, **self.graticule(), "scale": self.scale_bar()}


def fit(
    points: Sequence[tuple[float, float]], width: int, height: int, pad: int, min_span_deg: float
) -> Frame:
    """The frame that shows every (lat, lon) of `points` inside `pad` pixels of the edge; at least
    `min_span_deg` degrees across, so that a single point still gets some surroundings."""
    lats, lons = [p[0] for p in points], [p[1] for p in points]
    lat_c, lon_c = (min(lats) + max(lats)) / 2, (min(lons) + max(lons)) / 2
    kx = math.cos(math.radians(lat_c))
    span_x = max((max(lons) - min(lons)) * kx, min_span_deg)
    span_y = max(max(lats) - min(lats), min_span_deg)
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    return Frame(width, height, lat_c, lon_c, kx, scale)


def polyline(xy: np.ndarray) -> str:
    """Projected points as an SVG `points` attribute."""
    return " ".join(f"{x:g},{y:g}" for x, y in xy.tolist())


def path(rings: Iterable[np.ndarray], *, closed: bool) -> str:
    """Projected rings (or lines) as one SVG path: holes cut out with fill-rule evenodd."""
    end = " Z" if closed else ""
    return " ".join("M " + " L ".join(f"{x:g},{y:g}" for x, y in ring.tolist()) + end for ring in rings)
