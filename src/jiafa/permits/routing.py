"""Routing an oversize vehicle (通行路线): from origin to destination on the road graph, avoiding every road
segment with a bridge the vehicle fails (load, width, height), preferring bridges in better technical
condition (超限运输车辆行驶公路管理规定 Art. 15), and saying why each rejected alternative was not chosen.

Pure: no database, no clock. The network is the demo world's road graph (or a bureau's, in the same shape):
nodes are (lat, lon) points, edges are road segments (a road's consecutive points) and interchange links. A
bridge stands on one road segment. One bridge check for all bridges at once (rules.check, vectorised); then
plain graph search.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import islice, pairwise
from typing import Any

import networkx as nx

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.permits.rules import BridgeResult, LaneLoad, Span, Vehicle, check
from jiafa.simulate.world import Road, road_graph

Node = tuple[float, float]  # (lat, lon)
ALTERNATIVES = 4  # shortest paths by distance, regardless of bridges, that the plan explains


def _km(a: Node, b: Node) -> float:
    dy = (b[0] - a[0]) * 111.2
    dx = (b[1] - a[1]) * 111.2 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dx, dy)


@dataclass(frozen=True)
class Network:
    graph: Any  # nx.Graph: edge attributes km, road (code or None for an interchange link), leg
    road_names: dict[str, str]

    @classmethod
    def from_roads(cls, roads: dict[str, Road]) -> Network:
        graph = nx.Graph()
        for a, neighbours in road_graph(roads).items():
            for b in neighbours:
                graph.add_edge(a, b, km=_km(a, b), road=None, leg=None)
        for road in roads.values():
            for leg, (a, b) in enumerate(pairwise(road.points)):
                graph.edges[a, b].update(road=road.code, leg=leg)
        return cls(graph, {code: road.name for code, road in roads.items()})

    def nearest(self, point: Node) -> Node:
        node: Node = min(self.graph.nodes, key=lambda n: _km(n, point))
        return node


@dataclass(frozen=True)
class BridgeSite:
    """A bridge as routing sees it: where it stands, what it carries, what it restricts."""

    code: str
    name: str
    segment: tuple[Node, Node]  # the road segment it stands on
    spans: tuple[Span, ...]  # distinct simply supported spans, design class resolved
    condition_grade: int  # 技术状况等级 1 (best) … 5
    max_width_m: float | None = None
    max_height_m: float | None = None
    speed_limit_kmh: int | None = None
    escort_required: bool = False
    single_vehicle: bool = False


@dataclass(frozen=True)
class Size:
    width_m: float
    height_m: float


@dataclass(frozen=True)
class BridgeVerdict:
    bridge: BridgeSite
    results: tuple[BridgeResult, ...]  # one per distinct span
    reasons: tuple[str, ...]  # why the vehicle may not cross; empty when it may

    @property
    def passes(self) -> bool:
        return not self.reasons

    @property
    def governing(self) -> BridgeResult:
        return max(self.results, key=lambda r: r.governing_ratio / r.span.red_line_ratio)

    def as_dict(self) -> dict[str, Any]:
        b = self.bridge
        return {
            "code": b.code,
            "name": b.name,
            "condition_grade": b.condition_grade,
            "passes": self.passes,
            "reasons": list(self.reasons),
            "spans": [r.as_dict() for r in self.results],
        }


def judge(bridges: Sequence[BridgeSite], vehicle: Vehicle, size: Size, lane: LaneLoad) -> list[BridgeVerdict]:
    """Every bridge against the vehicle: its load on each span (one vectorised check) and its size."""
    spans = [span for b in bridges for span in b.spans]
    results = iter(check(vehicle, spans, lane))
    verdicts = []
    for b in bridges:
        mine = tuple(next(results) for _ in b.spans)
        reasons = [f"{b.name}（{b.code}）：{r.explanation}" for r in mine if not r.passes]
        if b.max_width_m is not None and size.width_m > b.max_width_m:
            reasons.append(f"{b.name}（{b.code}）：限宽 {b.max_width_m:g} 米，车货总宽 {size.width_m:g} 米")
        if b.max_height_m is not None and size.height_m > b.max_height_m:
            reasons.append(f"{b.name}（{b.code}）：限高 {b.max_height_m:g} 米，车货总高 {size.height_m:g} 米")
        verdicts.append(BridgeVerdict(b, mine, tuple(reasons)))
    return verdicts


@dataclass(frozen=True)
class Path:
    nodes: tuple[Node, ...]
    km: float
    roads: tuple[str, ...]  # road codes in travel order, each once per stretch
    verdicts: tuple[BridgeVerdict, ...]  # the bridges crossed, in travel order

    @property
    def feasible(self) -> bool:
        return all(v.passes for v in self.verdicts)

    @property
    def reasons(self) -> list[str]:
        return [reason for v in self.verdicts for reason in v.reasons]


@dataclass(frozen=True)
class Conditions:
    """What the permit must require on this route (通行条件)."""

    escort: bool = False  # 护送
    speed_limit_kmh: int | None = None  # the lowest limit of the bridges crossed
    single_vehicle_bridges: tuple[str, ...] = ()  # 单车过桥: bridge codes

    @property
    def any(self) -> bool:
        return self.escort or self.speed_limit_kmh is not None or bool(self.single_vehicle_bridges)

    def as_dict(self) -> dict[str, Any]:
        return {
            "escort": self.escort,
            "speed_limit_kmh": self.speed_limit_kmh,
            "single_vehicle_bridges": list(self.single_vehicle_bridges),
        }


@dataclass(frozen=True)
class RoutePlan:
    route: Path | None  # None: no route avoids every failing bridge
    alternatives: tuple[Path, ...]  # the shortest paths by distance that were not chosen, with their reasons
    conditions: Conditions = field(default_factory=Conditions)

    def explain(self, alternative: Path) -> str:
        if not alternative.feasible:
            return "；".join(alternative.reasons)
        assert self.route is not None  # a feasible alternative means a route was found
        return f"可通行，但按里程与桥梁技术状况加权后劣于推荐路线（{alternative.km:.1f} 公里）"

    def as_dict(self) -> dict[str, Any]:
        def path(p: Path) -> dict[str, Any]:
            return {
                "km": round(p.km, 1),
                "roads": list(p.roads),
                "nodes": [list(n) for n in p.nodes],
                "bridges": [v.as_dict() for v in p.verdicts],
            }

        return {
            "route": path(self.route) if self.route else None,
            "conditions": self.conditions.as_dict(),
            "alternatives": [
                {**path(a), "feasible": a.feasible, "why_not": self.explain(a)} for a in self.alternatives
            ],
        }


def plan(
    network: Network,
    bridges: Sequence[BridgeSite],
    vehicle: Vehicle,
    size: Size,
    origin: Node,
    destination: Node,
    lane: LaneLoad,
    grade_penalty_km: dict[int, float],
) -> RoutePlan:
    """The route: shortest by distance plus, for each bridge crossed, the detour its condition grade is worth
    (`permit.route.grade_penalty_km`), over the segments whose bridges all take the vehicle."""
    start, end = network.nearest(origin), network.nearest(destination)
    if start == end:
        raise JiafaError(ErrorCode.PERMIT_INPUT_INVALID, "起点与终点在路网上是同一处，请核对起讫点")
    verdicts = judge(bridges, vehicle, size, lane)
    on_segment: dict[frozenset[Node], list[BridgeVerdict]] = {}
    for v in verdicts:
        on_segment.setdefault(frozenset(v.bridge.segment), []).append(v)

    def crossed(a: Node, b: Node) -> list[BridgeVerdict]:
        return on_segment.get(frozenset((a, b)), [])

    def weight(a: Node, b: Node, edge: dict[str, Any]) -> float | None:
        here = crossed(a, b)
        if any(not v.passes for v in here):
            return None  # networkx: a hidden edge
        return float(edge["km"]) + sum(grade_penalty_km[v.bridge.condition_grade] for v in here)

    def as_path(nodes: Iterable[Node]) -> Path:
        nodes = tuple(nodes)
        legs = list(pairwise(nodes))
        roads = [network.graph.edges[a, b]["road"] for a, b in legs]
        seen = tuple(r for i, r in enumerate(roads) if r is not None and (i == 0 or roads[i - 1] != r))
        return Path(
            nodes=nodes,
            km=sum(network.graph.edges[a, b]["km"] for a, b in legs),
            roads=seen,
            verdicts=tuple(v for a, b in legs for v in crossed(a, b)),
        )

    try:
        route: Path | None = as_path(nx.shortest_path(network.graph, start, end, weight=weight))
    except nx.NetworkXNoPath:
        route = None
    shortest = islice(nx.shortest_simple_paths(network.graph, start, end, weight="km"), ALTERNATIVES)
    alternatives = tuple(p for p in map(as_path, shortest) if route is None or p.nodes != route.nodes)
    return RoutePlan(route, alternatives, _conditions(route) if route else Conditions())


def _conditions(route: Path) -> Conditions:
    limits = [v.bridge.speed_limit_kmh for v in route.verdicts if v.bridge.speed_limit_kmh is not None]
    return Conditions(
        escort=any(v.bridge.escort_required for v in route.verdicts),
        speed_limit_kmh=min(limits) if limits else None,
        single_vehicle_bridges=tuple(v.bridge.code for v in route.verdicts if v.bridge.single_vehicle),
    )
