"""The demo world's waters: Jiaxing's inland waterways as centre lines joined where they meet or cross into
one graph, the camera checkpoints (水上卡口) and locks on them, the zones along them (licensed docks and
berths, unlicensed loading points, no-berthing zones at bridges and locks, muck loading and dumping sites),
and the vessels that work them with their owners, certificates and muck permits. Pure and deterministic: the
same seed, scale and year give the same waters. Lines and places come from data/waterways.json
(approximate, for demonstration); the zones, vessels and their habits are drawn here from params.py.
"""

from __future__ import annotations

import itertools
import json
import math
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import networkx as nx
import shapely
from shapely.geometry import LineString, Point

from jiafa.simulate import params
from jiafa.simulate.world import Owner, _individual, _km, _phone, roads

DATA = Path(__file__).resolve().parent / "data" / "waterways.json"
UNIT = "330400-SY"  # the water transport squadron: every waterway register entry is its own
LatLon = tuple[float, float]
Node = tuple[float, float]  # (lat, lon) rounded to 6 decimals: the graph's nodes
MIN_VESSELS, MIN_MUCK = 24, 4  # however small the scale: enough vessels for every behaviour
NAVIGABLE_MARGIN_KM = 1.5  # zones keep this far from checkpoints, junctions and each other
BERTH_OFFSET_M = 35  # a dock's berth lies this far from the centre line, towards the bank
ZONE_SIZE_M = {
    "dock": (140, 40),
    "berth": (90, 30),
    "unlicensed": (80, 30),
    "loading": (150, 40),
    "dumping": (150, 40),
}
NO_BERTHING_SIZE_M = (300, 60)  # along and across the channel, centred on the bridge or lock
CERTIFICATES = {  # kind: (number prefix, years valid)
    "nationality": ("国籍", 5),
    "inspection": ("检验", 5),
    "operation": ("营运", 3),
    "crew": ("配员", 5),
}


@dataclass(frozen=True)
class Waterway:
    code: str
    name: str
    grade: str
    points: tuple[LatLon, ...]  # the centre line as given, without the inserted nodes

    @property
    def wkt(self) -> str:
        return "LINESTRING (" + ", ".join(f"{lon} {lat}" for lat, lon in self.points) + ")"


@dataclass(frozen=True)
class Zone:
    code: str
    name: str
    kind: str  # models.Zone.Kind, with "unlicensed" for a dock without a licence
    licensed: bool
    waterway: str
    node: Node  # where the zone meets the centre line
    berth: LatLon  # where a vessel lies in it
    outline: tuple[LatLon, ...]  # closed ring

    @property
    def register_kind(self) -> str:
        return "dock" if self.kind == "unlicensed" else self.kind

    @property
    def wkt(self) -> str:
        return "POLYGON ((" + ", ".join(f"{lon:.6f} {lat:.6f}" for lat, lon in self.outline) + "))"


@dataclass(frozen=True)
class Checkpoint:
    code: str
    name: str
    waterway: str
    node: Node


@dataclass(frozen=True)
class Certificate:
    kind: str
    number: str
    valid_from: date
    valid_to: date


@dataclass(frozen=True)
class Permit:
    number: str
    mmsi: int
    loading: str  # zone code
    dumping: str
    valid_from: date
    valid_to: date


@dataclass(frozen=True)
class Vessel:
    mmsi: int
    name: str  # as registered and painted on the hull
    ais_name: str  # as its AIS sends it: the name in pinyin
    kind: str  # models.Vessel.Kind
    owner: Owner
    length_m: float
    beam_m: float
    draught_m: float
    home: str  # the zone it lies at between trips
    laid_up: bool
    certificates: tuple[Certificate, ...] = field(default=())


@dataclass(frozen=True)
class Route:
    """A way between two nodes: its nodes, the distance to each from the start (km), and what a vessel meets
    on it — (node index, checkpoint code, direction) or (node index, no-berthing zone code, "wait")."""

    nodes: tuple[Node, ...]
    km: tuple[float, ...]
    marks: tuple[tuple[int, str, str], ...]

    @property
    def length(self) -> float:
        return self.km[-1]


@dataclass(frozen=True)
class Waters:
    seed: int
    scale: float
    year: int
    waterways: dict[str, Waterway]
    graph: nx.Graph  # nodes (lat, lon); edges with `km` and `waterway`
    borders: tuple[Node, ...]  # ends of waterways that join no other: where vessels enter and leave
    checkpoints: tuple[Checkpoint, ...]
    locks: tuple[tuple[str, Node], ...]
    zones: tuple[Zone, ...]
    vessels: tuple[Vessel, ...]
    companies: tuple[Owner, ...]
    permits: tuple[Permit, ...]
    order: dict[str, dict[Node, int]]  # per waterway, its nodes numbered in the order of its points (下行)
    routes: dict[tuple[Node, Node], Route] = field(default_factory=dict, compare=False, repr=False)

    def route(self, a: Node, b: Node) -> Route:
        """The shortest way along the waterways, with what lies on it (remembered: the same routes are sailed
        all year)."""
        if (a, b) not in self.routes:
            nodes = nx.shortest_path(self.graph, a, b, weight="km")
            km = [0.0]
            for x, y in itertools.pairwise(nodes):
                km.append(km[-1] + self.graph.edges[x, y]["km"])
            checkpoints = {c.node: c for c in self.checkpoints}
            waits = {z.node: z.code for z in self.zones if z.kind == "no_berthing"}
            marks: list[tuple[int, str, str]] = []
            for i in range(1, len(nodes)):
                checkpoint = checkpoints.get(nodes[i])
                if checkpoint is not None:
                    order = self.order[checkpoint.waterway]
                    downstream = order.get(nodes[i - 1], -1) < order.get(nodes[i], -1)
                    marks.append((i, checkpoint.code, "下行" if downstream else "上行"))
                if nodes[i] in waits and i < len(nodes) - 1:
                    marks.append((i, waits[nodes[i]], "wait"))
            self.routes[a, b] = Route(tuple(nodes), tuple(km), tuple(marks))
        return self.routes[a, b]


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


def _node(lat: float, lon: float) -> Node:
    return (round(lat, 6), round(lon, 6))


def waterways() -> dict[str, Waterway]:
    places = _data()["places"]
    out = {}
    for w in _data()["waterways"]:
        points = tuple(
            (places[p][0], places[p][1]) if isinstance(p, str) else (p[0], p[1]) for p in w["points"]
        )
        out[w["code"]] = Waterway(w["code"], w["name"], w["grade"], points)
    return out


def _line(points: tuple[LatLon, ...] | list[LatLon]) -> LineString:
    return LineString([(lon, lat) for lat, lon in points])


def _at(waterway: Waterway, fraction: float) -> Node:
    p = _line(waterway.points).interpolate(fraction, normalized=True)
    return _node(p.y, p.x)


def crossings(
    lines: dict[str, Waterway], other: dict[str, LineString] | None = None
) -> list[tuple[str, str, Node]]:
    """Where two lines meet or cross: (one, other, point). With `other`, where `lines` cross those."""
    shapes = {code: _line(w.points) for code, w in lines.items()}
    pairs = (
        [(a, b) for a in shapes for b in other]
        if other is not None
        else [(a, b) for i, a in enumerate(shapes) for b in list(shapes)[i + 1 :]]
    )
    out = []
    for a, b in pairs:
        meet = shapes[a].intersection(other[b] if other is not None else shapes[b])
        for p in shapely.get_parts(meet):
            if p.geom_type == "Point":
                out.append((a, b, _node(p.y, p.x)))
    return out


def _graph(lines: dict[str, Waterway], extra: dict[str, list[Node]]) -> nx.Graph:
    """Each line's points with the extra nodes (crossings, checkpoints, zones …) inserted in order along it;
    consecutive nodes joined. Lines share a node where they meet, so the graph is one network."""
    graph = nx.Graph()
    for code, w in lines.items():
        line = _line(w.points)
        nodes = {_node(*p) for p in w.points} | set(extra.get(code, []))
        ordered = sorted(nodes, key=lambda n: line.project(Point(n[1], n[0])))
        for a, b in itertools.pairwise(ordered):
            if a != b:
                graph.add_edge(a, b, km=_km(a, b), waterway=code)
    return graph


def build(seed: int, scale: float, year: int, until: date | None = None) -> Waters:
    """The waters for a seed and scale in `year`; certificates and permits are kept renewed up to `until`
    (default: the end of the following year)."""
    until = until or date(year + 1, 12, 31)
    rng = random.Random(seed * 31 + 7)
    lines = waterways()
    extra: dict[str, list[Node]] = {}
    junctions: set[Node] = set()
    for a, b, point in crossings(lines):
        extra.setdefault(a, []).append(point)
        extra.setdefault(b, []).append(point)
        junctions.add(point)
    checkpoints = tuple(
        Checkpoint(c["code"], c["name"], c["waterway"], _at(lines[c["waterway"]], c["at"]))
        for c in _data()["checkpoints"]
    )
    locks = tuple((lk["name"], _at(lines[lk["waterway"]], lk["at"])) for lk in _data()["locks"])
    bridges = _bridges(lines)
    for c in checkpoints:
        extra.setdefault(c.waterway, []).append(c.node)
    for (_, node), code in [(lk, w["waterway"]) for lk, w in zip(locks, _data()["locks"], strict=True)]:
        extra.setdefault(code, []).append(node)
    for _, code, node in bridges:
        extra.setdefault(code, []).append(node)
    taken = [c.node for c in checkpoints] + list(junctions) + [n for _, n in locks] + [n for *_, n in bridges]
    zones = _zones(rng, lines, taken, locks, bridges)
    for z in zones:
        extra.setdefault(z.waterway, []).append(z.node)
    graph = _graph(lines, extra)
    ends = [_node(*w.points[0]) for w in lines.values()] + [_node(*w.points[-1]) for w in lines.values()]
    borders = tuple(n for n in ends if graph.degree(n) == 1)
    companies = tuple(_company(rng, k) for k in range(max(8, round(40 * scale))))
    vessels = _vessels(rng, scale, year, until, zones, companies)
    permits = _permits(rng, scale, year, until, vessels, zones, graph)
    vessels = _muck_homes(vessels, permits, zones, graph)
    order = {}
    for code, w in lines.items():
        line = _line(w.points)
        nodes = {n for a, b, d in graph.edges(data=True) if d["waterway"] == code for n in (a, b)}
        ranked = sorted(nodes, key=lambda n: line.project(Point(n[1], n[0])))
        order[code] = {n: i for i, n in enumerate(ranked)}
    return Waters(
        seed,
        scale,
        year,
        lines,
        graph,
        borders,
        checkpoints,
        locks,
        zones,
        vessels,
        companies,
        permits,
        order,
    )


def _bridges(lines: dict[str, Waterway]) -> list[tuple[str, str, Node]]:
    """Where the world's expressways and national roads cross a waterway: (bridge name, waterway, point)."""
    network = {r.code: r for r in roads().values() if r.kind in ("expressway", "national")}
    shapes = {code: _line(r.points) for code, r in network.items()}
    names: dict[str, int] = {}
    out = []
    for waterway, road, point in sorted(crossings(lines, shapes)):
        base = f"{network[road].name.split('（')[0]}{lines[waterway].name}"
        names[base] = names.get(base, 0) + 1
        out.append((f"{base}{'大桥' if names[base] == 1 else f'{names[base]}号桥'}", waterway, point))
    return out


def _offset(node: Node, towards: Node, metres: float) -> LatLon:
    """The point `metres` from `node`, perpendicular to the direction towards `towards` (to the right)."""
    dy = (towards[0] - node[0]) * 111_200
    dx = (towards[1] - node[1]) * 111_200 * math.cos(math.radians(node[0]))
    norm = math.hypot(dx, dy) or 1.0
    right = (dy / norm, -dx / norm)  # (east, north) of the right-hand normal
    return (
        node[0] + right[1] * metres / 111_200,
        node[1] + right[0] * metres / (111_200 * math.cos(math.radians(node[0]))),
    )


def _rectangle(centre: LatLon, along: LatLon, length_m: float, width_m: float) -> tuple[LatLon, ...]:
    """A rectangle `length_m` by `width_m` centred on `centre`, its length along the unit vector `along`
    (east, north)."""
    per_lat = 111_200
    per_lon = 111_200 * math.cos(math.radians(centre[0]))
    ex, ey = along
    nx_, ny = -ey, ex
    corners = []
    for sa, sn in ((-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)):
        east = sa * ex * length_m / 2 + sn * nx_ * width_m / 2
        north = sa * ey * length_m / 2 + sn * ny * width_m / 2
        corners.append((round(centre[0] + north / per_lat, 6), round(centre[1] + east / per_lon, 6)))
    return tuple(corners)


def _direction(line: LineString, node: Node) -> LatLon:
    """The unit vector (east, north) of the line at `node`."""
    d = line.project(Point(node[1], node[0]))
    a, b = line.interpolate(max(0.0, d - 0.0005)), line.interpolate(min(line.length, d + 0.0005))
    east = (b.x - a.x) * math.cos(math.radians(node[0]))
    north = b.y - a.y
    norm = math.hypot(east, north) or 1.0
    return (east / norm, north / norm)


def _town(point: LatLon) -> str:
    return min(_data()["towns"], key=lambda t: _km(point, (t[1], t[2])))[0]


ZONE_NAMES = {  # kind: (name pattern, words for {word})
    "dock": ("{town}{word}码头", ("建材", "砂石", "集装箱", "粮食", "钢材", "煤炭", "件杂货")),
    "berth": ("{town}{n}号泊位", ("",)),
    "unlicensed": ("{town}{word}无证码头", ("浜口", "河湾", "桥堍", "村口", "沿河堆场")),
    "loading": (
        "{town}{word}渣土装载点",
        ("安置房项目", "地铁站项目", "商业综合体项目", "道路改造工程", "厂房项目"),
    ),
    "dumping": ("{town}{word}渣土消纳点", ("围垦区", "低洼地回填场", "废弃矿坑", "堆土场")),
}


def _zones(
    rng: random.Random,
    lines: dict[str, Waterway],
    taken: list[Node],
    locks: tuple[tuple[str, Node], ...],
    bridges: list[tuple[str, str, Node]],
) -> tuple[Zone, ...]:
    shapes = {code: _line(w.points) for code, w in lines.items()}
    weights = [shapes[c].length for c in lines]
    zones: list[Zone] = []
    used: set[str] = set()
    count = 0
    for kind, how_many in params.ZONES.items():
        for k in range(how_many):
            for _ in range(200):
                code = rng.choices(list(lines), weights)[0]
                node = _at(lines[code], rng.uniform(0.04, 0.96))
                if all(_km(node, other) > NAVIGABLE_MARGIN_KM for other in taken):
                    break
            taken.append(node)
            along = _direction(shapes[code], node)
            side = rng.choice((1, -1))
            ahead = (node[0] + along[1] * 0.001, node[1] + along[0] * 0.001)
            berth = _offset(node, ahead, side * BERTH_OFFSET_M)
            length, width = ZONE_SIZE_M[kind]
            pattern, words = ZONE_NAMES[kind]
            town = _town(node)
            name = pattern.format(town=town, n=k + 1, word=rng.choice(words))
            while name in used:
                name = name.replace(town, f"{town}{rng.choice('东南西北')}", 1)
            used.add(name)
            count += 1
            zones.append(
                Zone(
                    code=f"SZ-{count:03d}",
                    name=name,
                    kind=kind,
                    licensed=kind in ("dock", "berth"),
                    waterway=code,
                    node=node,
                    berth=(round(berth[0], 6), round(berth[1], 6)),
                    outline=_rectangle(berth, along, length, width),
                )
            )
    for name, node in [*locks, *[(b, n) for b, _, n in bridges]]:
        code = next(c for c, s in shapes.items() if s.distance(Point(node[1], node[0])) < 1e-6)
        count += 1
        zones.append(
            Zone(
                code=f"SZ-{count:03d}",
                name=f"{name}禁停区",
                kind="no_berthing",
                licensed=False,
                waterway=code,
                node=node,
                berth=node,
                outline=_rectangle(node, _direction(shapes[code], node), *NO_BERTHING_SIZE_M),
            )
        )
    return tuple(zones)


TRADES = ("航运", "船务", "水运", "港航物流")


def _company(rng: random.Random, k: int) -> Owner:
    town = rng.choice([t for t in _data()["towns"] if t[0] != "嘉兴"])[0]
    brand = rng.choice("兴顺达通和运隆丰") + rng.choice("航宇江海源盛泰")
    name = f"嘉兴市{town}{brand}{rng.choice(TRADES)}有限公司"
    code = "91330400" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(10))
    return Owner("organisation", name, code, f"浙江省嘉兴市{town}镇滨河路{k + 1}号", _phone(rng), "330400")


def pinyin(name: str) -> str:
    """A ship name as its AIS sends it: 浙嘉兴货1234 → ZHEJIAXINGHUO1234."""
    table = _data()["pinyin"]
    out, rest = [], name
    while rest:
        for size in (3, 2, 1):
            if rest[:size] in table:
                out.append(table[rest[:size]])
                rest = rest[size:]
                break
        else:
            out.append(rest[0])
            rest = rest[1:]
    return "".join(out)


def _vessels(
    rng: random.Random,
    scale: float,
    year: int,
    until: date,
    zones: tuple[Zone, ...],
    companies: tuple[Owner, ...],
) -> tuple[Vessel, ...]:
    registries = _data()["registries"]
    homes = [z.code for z in zones if z.kind in ("dock", "berth")]
    count = max(MIN_VESSELS, round(params.VESSELS * scale))
    muck = max(MIN_MUCK, round(params.MUCK_SHARE * count))
    work = round(params.WORK_SHARE * count)
    laid_up = max(1, round(params.LAID_UP * (count - muck - work)))
    kinds = ["muck"] * muck + ["work"] * work + ["laid_up"] * laid_up
    kinds += ["cargo"] * (count - len(kinds))
    rng.shuffle(kinds)
    seen_mmsi: set[int] = set()
    seen_names: set[str] = set()
    out = []
    for drawn in kinds:
        kind = "cargo" if drawn == "laid_up" else drawn
        registry = rng.choices(registries, [r["weight"] for r in registries])[0]
        if kind == "muck":  # muck is a local trade: Jiaxing's and Huzhou's boats
            registry = registries[0] if rng.random() < 0.8 else registries[1]
        mmsi = rng.choice((412, 413, 414)) * 1_000_000 + rng.randrange(1_000_000)
        trade = "工" if kind == "work" else "货"
        name = f"{registry['prefix']}{registry['port']}{trade}{rng.randrange(100, 10000):04d}"
        while mmsi in seen_mmsi or name in seen_names:  # drawn again, rarely
            mmsi = rng.choice((412, 413, 414)) * 1_000_000 + rng.randrange(1_000_000)
            name = f"{registry['prefix']}{registry['port']}{trade}{rng.randrange(100, 10000):04d}"
        seen_mmsi.add(mmsi)
        seen_names.add(name)
        if rng.random() < params.COMPANY_OWNED:
            owner = rng.choice(companies)
        else:
            owner = _individual(rng, registry["region"])
        length = rng.uniform(40, 55) if kind == "muck" else rng.uniform(30, 68)
        out.append(
            Vessel(
                mmsi=mmsi,
                name=name,
                ais_name=pinyin(name),
                kind=kind,
                owner=owner,
                length_m=round(length, 1),
                beam_m=round(length / rng.uniform(5.5, 6.5), 1),
                draught_m=round(rng.uniform(1.8, 3.4), 1),
                home=rng.choice(homes),
                laid_up=drawn == "laid_up",
                certificates=_certificates(rng, year, mmsi, until),
            )
        )
    return tuple(out)


def _certificates(rng: random.Random, year: int, mmsi: int, until: date) -> tuple[Certificate, ...]:
    """The vessel's certificates, each valid for its term and renewed when it runs out, up to `until` — a
    register kept up to date, as the bureau keeps it; for a few vessels one lapsed before or during the year
    and was not renewed."""
    start = date(year, 1, 1)
    lapsed = rng.choice(list(CERTIFICATES)) if rng.random() < params.EXPIRED_CERTIFICATE else None
    out = []
    for kind, (prefix, years) in CERTIFICATES.items():
        term = timedelta(days=365 * years)
        if kind == lapsed:
            valid_to = start + timedelta(days=rng.randint(-200, 300))
        else:  # the one in force on New Year's Day runs out some time after it
            valid_to = start + timedelta(days=rng.randint(30, 365 * years))
        valid_from = valid_to - term + timedelta(days=1)
        while True:
            number = f"{prefix}{valid_from.year}{mmsi % 1_000_000:06d}"
            out.append(Certificate(kind, number, valid_from, valid_to))
            if kind == lapsed or valid_to > until:
                break
            valid_from, valid_to = valid_to + timedelta(days=1), valid_to + term
    return tuple(out)


def _nearest(graph: nx.Graph, origin: Node, zones: list[Zone], k: int) -> list[Zone]:
    """The `k` zones nearest to `origin` along the waterways."""
    distance = nx.single_source_dijkstra_path_length(graph, origin, weight="km")
    return sorted(zones, key=lambda z: (distance.get(z.node, math.inf), z.code))[:k]


def _permits(
    rng: random.Random,
    scale: float,
    year: int,
    until: date,
    vessels: tuple[Vessel, ...],
    zones: tuple[Zone, ...],
    graph: nx.Graph,
) -> tuple[Permit, ...]:
    """Muck permits (渣土运输许可): a loading site (a building site by the water) and one of the two dumping
    sites nearest to it per vessel, for a year from the day it was issued, renewed on the day it expires up to
    `until` — except LAPSED_PERMITS of them, renewed late in the year."""
    loading = [z for z in zones if z.kind == "loading"]
    dumping = [z for z in zones if z.kind == "dumping"]
    near = {z.code: _nearest(graph, z.node, dumping, 2) for z in loading}
    start, end = date(year, 1, 1), date(year, 12, 31)
    holders = [v for v in vessels if v.kind == "muck" and rng.random() < params.MUCK_PERMITTED]
    count, low, high = params.LAPSED_PERMITS
    late = {
        v.mmsi: rng.randint(low, high)
        for v in rng.sample(holders, min(len(holders), max(1, round(count * scale))))
    }
    out: list[Permit] = []
    for v in holders:
        site = rng.choice(loading)
        dump = rng.choice(near[site.code])
        valid_from = start - timedelta(days=rng.randint(1, 364))
        while valid_from <= max(end, until):
            valid_to = valid_from + timedelta(days=364)
            number = f"嘉渣运〔{valid_from.year}〕{len(out) + 1:04d}号"
            out.append(Permit(number, v.mmsi, site.code, dump.code, valid_from, valid_to))
            gap = late.get(v.mmsi, 0) if start <= valid_to <= end - timedelta(days=30) else 0
            valid_from = valid_to + timedelta(days=1 + gap)
    return tuple(out)


def _muck_homes(
    vessels: tuple[Vessel, ...], permits: tuple[Permit, ...], zones: tuple[Zone, ...], graph: nx.Graph
) -> tuple[Vessel, ...]:
    """A muck vessel with a permit lies between trips at the licensed dock or berth nearest its loading
    site."""
    docks = [z for z in zones if z.kind in ("dock", "berth")]
    by_code = {z.code: z for z in zones}
    site = {p.mmsi: p.loading for p in permits}
    home = {code: _nearest(graph, by_code[code].node, docks, 1)[0].code for code in set(site.values())}
    return tuple(replace(v, home=home[site[v.mmsi]]) if v.mmsi in site else v for v in vessels)
