"""The demo world: Jiaxing's county-level units, its road network as a graph, the weigh-in-motion stations on
it, and the goods vehicles that drive it with their owners. Pure and deterministic: the same seed and scale
give the same world. Places come from data/jiaxing.json (approximate, for demonstration); who owns which
truck, and how each behaves, is drawn here from the parameters in params.py.
"""

from __future__ import annotations

import json
import math
import random
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from jiafa.simulate import params

DATA = Path(__file__).resolve().parent / "data" / "jiaxing.json"


@dataclass(frozen=True)
class Road:
    code: str
    name: str
    kind: str  # expressway / national / provincial
    points: tuple[tuple[float, float], ...]  # (lat, lon)

    def at(self, fraction: float) -> tuple[float, float]:
        """The point `fraction` of the way along the road."""
        legs = list(zip(self.points, self.points[1:], strict=False))
        lengths = [_km(a, b) for a, b in legs]
        goal = max(0.0, min(1.0, fraction)) * sum(lengths)
        for (a, b), length in zip(legs, lengths, strict=True):
            if goal <= length and length:
                t = goal / length
                return (round(a[0] + (b[0] - a[0]) * t, 5), round(a[1] + (b[1] - a[1]) * t, 5))
            goal -= length
        return self.points[-1]


@dataclass(frozen=True)
class Site:
    code: str
    name: str
    unit: str
    kind: str
    road: str
    direction: str
    lat: float
    lon: float
    stake: str


@dataclass(frozen=True)
class Owner:
    kind: str  # person / organisation
    name: str
    id_no: str
    address: str
    phone: str
    region: str  # 行政区划代码 of the registration


@dataclass(frozen=True)
class Truck:
    plate: str
    plate_color: str
    axles: int
    combination: bool
    single_drive_axle: bool
    owner: Owner
    habit: float  # the share of its trips it runs overloaded
    rate: float  # how far over, when it does (超限率)
    hundred_tonne: bool


@dataclass(frozen=True)
class World:
    seed: int
    scale: float
    units: dict[str, tuple[float, float]]
    roads: dict[str, Road]
    graph: dict[tuple[float, float], set[tuple[float, float]]]
    sites: tuple[Site, ...]
    trucks: tuple[Truck, ...]
    companies: tuple[Owner, ...]
    drivers: tuple[Owner, ...]
    platforms: tuple[Owner, ...]  # ride-hailing platform companies operating in the city

    @property
    def towns(self) -> list[tuple[str, float, float]]:
        """Each county-level unit's seat: (name, lat, lon)."""
        return [(u["name"], u["lat"], u["lon"]) for u in _data()["units"]]


def _km(a: tuple[float, float], b: tuple[float, float]) -> float:
    dy = (b[0] - a[0]) * 111.2
    dx = (b[1] - a[1]) * 111.2 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dx, dy)


@cache
def _data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(DATA.read_text(encoding="utf-8"))
    return data


def roads() -> dict[str, Road]:
    return {
        r["code"]: Road(r["code"], r["name"], r["kind"], tuple((p[0], p[1]) for p in r["points"]))
        for r in _data()["roads"]
    }


JUNCTION_KM = 6.0  # shaping points of two roads this close are joined: an interchange or a crossing


def road_graph(network: dict[str, Road]) -> dict[tuple[float, float], set[tuple[float, float]]]:
    """The network as a graph: every shaping point a node, consecutive points of a road joined, and two
    roads joined where their points come within JUNCTION_KM (an interchange)."""
    graph: dict[tuple[float, float], set[tuple[float, float]]] = {}

    def join(a: tuple[float, float], b: tuple[float, float]) -> None:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set()).add(a)

    roads_ = list(network.values())
    for road in roads_:
        for a, b in zip(road.points, road.points[1:], strict=False):
            join(a, b)
    for i, one in enumerate(roads_):
        for other in roads_[i + 1 :]:
            a, b = min(((a, b) for a in one.points for b in other.points), key=lambda ab: _km(*ab))
            if _km(a, b) <= JUNCTION_KM:
                join(a, b)
    return graph


def connected(graph: dict[tuple[float, float], set[tuple[float, float]]]) -> bool:
    """Whether every node can be reached from every other."""
    if not graph:
        return True
    start = next(iter(graph))
    seen, todo = {start}, [start]
    while todo:
        for n in graph[todo.pop()] - seen:
            seen.add(n)
            todo.append(n)
    return len(seen) == len(graph)


def sites(network: dict[str, Road]) -> tuple[Site, ...]:
    out = []
    for s in _data()["stations"]:
        road = network[s["road"]]
        lat, lon = road.at(s["at"])
        length = sum(_km(a, b) for a, b in zip(road.points, road.points[1:], strict=False))
        stake = f"K{int(s['at'] * length)}+{int(s['at'] * length * 1000) % 1000:03d}"
        out.append(
            Site(s["code"], s["name"], s["unit"], s["kind"], s["road"], s["direction"], lat, lon, stake)
        )
    return tuple(out)


def build(seed: int, scale: float) -> World:
    rng = random.Random(seed)
    network = roads()
    companies = tuple(_company(rng, k) for k in range(max(20, round(params.COMPANIES * scale))))
    rogue = {c.id_no for c in rng.sample(companies, round(len(companies) * params.ROGUE_COMPANIES))}
    trucks = tuple(_truck(rng, companies, rogue) for _ in range(max(2000, round(params.TRUCKS * scale))))
    drivers = tuple(_individual(rng) for _ in range(max(50, round(params.DRIVERS * scale))))
    platforms = tuple(_platform(rng, name) for name in PLATFORMS)
    units = {u["code"]: (u["lat"], u["lon"]) for u in _data()["units"]}
    network_graph = road_graph(network)
    return World(
        seed,
        scale,
        units,
        network,
        network_graph,
        sites(network),
        _unique(trucks),
        companies,
        drivers,
        platforms,
    )


def _unique(trucks: tuple[Truck, ...]) -> tuple[Truck, ...]:
    seen: set[tuple[str, str]] = set()
    out = []
    for t in trucks:
        if (t.plate, t.plate_color) not in seen:
            seen.add((t.plate, t.plate_color))
            out.append(t)
    return tuple(out)


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国文辉鹏斌宇浩凯俊峰琳晨"
TOWNS = "南湖秀洲嘉善平湖海盐海宁桐乡乍浦濮院崇福"
TRADES = ("物流", "运输", "货运", "供应链", "建材运输", "港务物流")


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def _region(rng: random.Random) -> tuple[str, str]:
    """A plate's province letter and the region code of its registration, in the traffic's proportions."""
    province = rng.choices([p for p, *_ in params.PLATE_REGIONS], [w for _, w, _ in params.PLATE_REGIONS])[0]
    letters, regions = next((ls, rs) for p, _, (ls, rs) in params.PLATE_REGIONS if p == province)
    k = rng.randrange(len(letters))
    return province + letters[k], regions[k]


def _company(rng: random.Random, k: int) -> Owner:
    town = TOWNS[2 * (k % (len(TOWNS) // 2)) : 2 * (k % (len(TOWNS) // 2)) + 2]
    name = f"嘉兴{town}{rng.choice(SURNAMES)}{rng.choice(GIVEN)}{rng.choice(TRADES)}有限公司"
    code = "91330400" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(10))
    return Owner("organisation", name, code, f"浙江省嘉兴市{town}物流园区{k + 1}号", _phone(rng), "330400")


PLATFORMS = ("嘉兴快行网络科技有限公司", "禾城约车信息技术有限公司", "南湖出行服务有限公司")


def _platform(rng: random.Random, name: str) -> Owner:
    code = "91330400" + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(10))
    return Owner("organisation", name, code, "浙江省嘉兴市南湖区", _phone(rng), "330400")


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3589") + "".join(rng.choice("0123456789") for _ in range(9))


def _individual(rng: random.Random, region: str = "330400") -> Owner:
    birth = f"{rng.randint(1960, 1998)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    id_no = f"{region}{birth}{rng.randint(100, 999)}{rng.choice('0123456789X')}"
    return Owner("person", _person(rng), id_no, "", _phone(rng), region)


def _truck(rng: random.Random, companies: tuple[Owner, ...], rogue: set[str]) -> Truck:
    axles, combination, share_single = rng.choices(
        [(a, c, s) for a, c, s, _ in params.AXLE_CLASSES], [w for *_, w in params.AXLE_CLASSES]
    )[0]
    prefix, region = _region(rng)
    plate = prefix + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(5))
    if rng.random() < params.OWNED_BY_COMPANY and prefix.startswith("浙F"):
        owner = rng.choice(companies)
    else:
        owner = _individual(rng, region)
    habitual = rng.random() < (params.ROGUE_HABITUAL if owner.id_no in rogue else params.HABITUAL_SHARE)
    if habitual and rng.random() < params.EXTREME_SHARE:
        rate = rng.uniform(params.EXTREME_FROM, params.OVERLOAD_RATE_MAX)
    else:
        rate = params.OVERLOAD_RATE_MIN + rng.expovariate(1 / params.OVERLOAD_RATE_MEAN)
    return Truck(
        plate=plate,
        plate_color="蓝" if axles == 2 and rng.random() < 0.3 else "黄",
        axles=axles,
        combination=combination,
        single_drive_axle=axles >= 5 and rng.random() < share_single,
        owner=owner,
        habit=rng.uniform(*params.HABITUAL_TRIPS) if habitual else params.OCCASIONAL_TRIPS,
        rate=min(rate, params.OVERLOAD_RATE_MAX),
        hundred_tonne=axles == 6 and rng.random() < params.HUNDRED_TONNE_SHARE,
    )
