"""Demo bridges: the 210 key control bridges (重点控制桥梁) of the bureau's oversize routes, placed along the
demo world's roads. Pure and deterministic: the same seed gives the same bridges. Spans, structure types,
design classes, condition grades and red lines follow the usual mix on a Zhejiang plain network (short
hollow-slab spans over canals, T-beams over rivers, older national roads built to the 1989 classes); they
are plausible, not surveyed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from functools import cache

from jiafa.law.ruledata import RuleBook
from jiafa.permits.routing import BridgeSite
from jiafa.permits.rules import Span, Vehicle, resolve_design_load
from jiafa.simulate.world import Road, roads

COUNT = 210
SEED = 2024

# Structure type → the simply supported spans it is built with (m).
STRUCTURES: dict[str, tuple[float, ...]] = {
    "钢筋混凝土板": (6.0, 8.0, 10.0),
    "空心板梁": (10.0, 13.0, 16.0, 20.0),
    "T梁": (20.0, 25.0, 30.0, 35.0, 40.0),
    "小箱梁": (25.0, 30.0, 35.0),
}
# Design load class as on each kind of road's drawings (older roads built to the 1989 classes).
DESIGN_LOADS: dict[str, tuple[str, ...]] = {
    "expressway": ("公路-I级", "公路-I级", "汽车-超20级"),
    "national": ("公路-I级", "汽车-超20级", "汽车-20级"),
    "provincial": ("公路-II级", "汽车-20级"),
}
# Technical condition grade (技术状况等级, 1类 best … 5类 worst): how common each is by kind of road (newer,
# better kept expressways), and the red-line ratio an assessment gives. The red line compares one vehicle
# with one design lane, so a sound bridge whose girders share the vehicle carries more than 1.
GRADE_WEIGHTS = {
    "expressway": (50, 42, 7, 1, 0),
    "national": (30, 45, 18, 6, 1),
    "provincial": (20, 45, 25, 8, 2),
}
RED_LINE_BY_GRADE = {1: 1.3, 2: 1.2, 3: 1.05, 4: 0.85, 5: 0.5}


@dataclass(frozen=True)
class DemoBridge:
    code: str
    name: str
    road: str  # road code
    fraction: float  # position along the road, 0 at its first point
    leg: int  # the road's segment (points[leg] → points[leg + 1]) the bridge stands on
    lat: float
    lon: float
    structure: str
    spans_m: tuple[float, ...]  # each span simply supported
    design_load: str  # as on the drawings: 公路-I级, or an older class the rule data maps
    condition_grade: int
    red_line_ratio: float
    max_width_m: float | None
    max_height_m: float | None
    speed_limit_kmh: int | None
    escort_required: bool
    single_vehicle: bool  # 单车过桥

    def check_spans(self, book: RuleBook, on: date) -> list[Span]:
        """One span per distinct length: equal simply supported spans give equal effects."""
        design_load, _ = resolve_design_load(self.design_load, book, on)
        return [Span(length, design_load, self.red_line_ratio) for length in sorted(set(self.spans_m))]


def _leg(road: Road, point: tuple[float, float]) -> int:
    """The road segment nearest to a point on the road (flat degrees are enough to pick among segments)."""

    def distance(i: int) -> float:
        (ay, ax), (by, bx) = road.points[i], road.points[i + 1]
        dy, dx = by - ay, bx - ax
        t = ((point[0] - ay) * dy + (point[1] - ax) * dx) / ((dy * dy + dx * dx) or 1.0)
        t = min(1.0, max(0.0, t))
        return (ay + t * dy - point[0]) ** 2 + (ax + t * dx - point[1]) ** 2

    return min(range(len(road.points) - 1), key=distance)


@cache
def bridges(seed: int = SEED, count: int = COUNT) -> tuple[DemoBridge, ...]:
    rng = random.Random(seed)
    network = sorted(roads().values(), key=lambda r: r.code)
    out = []
    for i in range(count):
        road = network[i % len(network)]
        fraction = round(rng.uniform(0.02, 0.98), 4)
        lat, lon = road.at(fraction)
        structure = rng.choices(list(STRUCTURES), weights=(2, 5, 3, 1))[0]
        lengths = STRUCTURES[structure]
        spans = tuple(rng.choice(lengths) for _ in range(rng.randint(1, 5)))
        grade = rng.choices((1, 2, 3, 4, 5), weights=GRADE_WEIGHTS[road.kind])[0]
        design_name = rng.choice(DESIGN_LOADS[road.kind])
        red_line = round(RED_LINE_BY_GRADE[grade] + rng.uniform(-0.05, 0.05), 2)
        out.append(
            DemoBridge(
                code=f"QL{i + 1:04d}",
                name=f"{road.code}{road.name[:4]}第{i // len(network) + 1}号桥",
                road=road.code,
                fraction=fraction,
                leg=_leg(road, (lat, lon)),
                lat=lat,
                lon=lon,
                structure=structure,
                spans_m=spans,
                design_load=design_name,
                condition_grade=grade,
                red_line_ratio=red_line,
                max_width_m=rng.choice((3.5, 4.0, 4.5)) if rng.random() < 0.08 else None,
                max_height_m=rng.choice((4.5, 5.0)) if rng.random() < 0.05 else None,
                speed_limit_kmh=rng.choice((5, 10, 20)) if grade >= 3 else None,
                escort_required=grade >= 3 or max(spans) >= 35,
                single_vehicle=grade >= 3,
            )
        )
    return tuple(out)


def sites(book: RuleBook, on: date, seed: int = SEED) -> tuple[BridgeSite, ...]:
    """The demo bridges as routing sees them."""
    network = roads()
    return tuple(
        BridgeSite(
            code=b.code,
            name=b.name,
            segment=(network[b.road].points[b.leg], network[b.road].points[b.leg + 1]),
            spans=tuple(b.check_spans(book, on)),
            condition_grade=b.condition_grade,
            max_width_m=b.max_width_m,
            max_height_m=b.max_height_m,
            speed_limit_kmh=b.speed_limit_kmh,
            escort_required=b.escort_required,
            single_vehicle=b.single_vehicle,
        )
        for b in bridges(seed)
    )


def vehicle(rng: random.Random) -> Vehicle:
    """A tractor (front axle, tandem drive) and a trailer of 3 to 12 axle lines. The mix of a permit office:
    most loads are oversize by their dimensions within ordinary axle loads, fewer are heavy."""
    lines = rng.randint(3, 12)
    line_kn = rng.choices(
        (rng.uniform(50, 80), rng.uniform(80, 110), rng.uniform(110, 160)), weights=(6, 3, 1)
    )[0]
    return Vehicle.of([60, 110, 110] + [line_kn] * lines, [3.2, 1.4, rng.uniform(5, 9)] + [1.5] * (lines - 1))
