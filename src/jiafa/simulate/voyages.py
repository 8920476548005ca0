"""A day on the demo world's waters: the vessels' trips along the waterway graph, and what the shore sees of
them — AIS positions and static reports as the receivers keep them, and the checkpoint cameras' records.

Cargo vessels pass through the city's waters, or come to a dock to unload and load, at 5–9 knots; muck
vessels with a permit run rounds from their loading site to their dumping site on working days. On the way
vessels wait at locks and narrow bridges. Some behave as params.py says: they switch AIS off between
checkpoints, berth in a no-berthing zone, load at an unlicensed point, dump outside their site (often with
the AIS off), work while their permit has lapsed, or sail under a laid-up vessel's identity. Every such
stretch is written down as an `Episode`: what really happened, which the officers' checks find out
(simulate/waterway.py) — the detection never sees it.

Trips are built as knots (time, place) per vessel in Python, a few dozen per trip; positions are then
interpolated for all trips of the day at once with NumPy. Deterministic for a seed and day.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

import numpy as np
import polars as pl

from jiafa.simulate import params
from jiafa.simulate.waters import Node, Route, Vessel, Waters

KNOT_KMH = 1.852
CHINA_OFFSET = timedelta(hours=8)
FIRST_START_S, LAST_END_S = 5 * 3600, 23 * 3600 + 1800  # vessels sail between 05:00 and 23:30 …
DAY_END_S = 24 * 3600 - 60  # … and a trip delayed past midnight ends with the day's file
GPS_NOISE_DEG = 0.00003  # about 3 m
BERTH_MOVE_S = 60  # from the channel to a berth beside it
DIGITS = "0123456789"


@dataclass
class Habits:
    """How one vessel behaves now (rates: the share of its trips or rounds; 0 when it doesn't)."""

    dark: float = 0.0
    berthing: float = 0.0
    unlicensed: float = 0.0
    dumping: float = 0.0
    clone_of: int | None = None  # the laid-up vessel whose MMSI and name it sails under


@dataclass(frozen=True)
class Episode:
    """What really happened: a stretch of one vessel's day an officer's check finds out. `genuine`: a
    violation (else an innocent stop or a misread the detection may flag); `key` names the conduct, so the
    findings it gives are one matter."""

    kind: str  # dark, berthing, waiting, unlicensed, dump, no_permit, cloned, misread
    mmsi: int
    start: datetime
    end: datetime
    genuine: bool
    key: str


@dataclass(frozen=True)
class Onset:
    """A vessel taking up a behaviour on a day (before the year: at it on New Year's Day)."""

    day: date
    mmsi: int
    behaviour: str  # dark, berthing, unlicensed, dumping, clone
    rate: float = 0.0
    clone_of: int | None = None


@dataclass
class State:
    """The waters' changing part: who behaves how, who is idle until when, and the episodes so far."""

    habits: dict[int, Habits]
    onsets: list[Onset]
    idle_until: dict[int, date] = field(default_factory=dict)
    episodes: dict[int, list[Episode]] = field(default_factory=dict)
    caught: Counter[tuple[int, str]] = field(default_factory=Counter)  # (vessel, behaviour): times caught

    def spell(self, mmsi: int, behaviour: str) -> str:
        """One spell of a vessel at a behaviour, from taking it up to being caught: one matter, however many
        times it did it meanwhile."""
        return f"{behaviour}:{mmsi}:{self.caught[mmsi, behaviour]}"

    def log(self, episode: Episode) -> None:
        self.episodes.setdefault(episode.mmsi, []).append(episode)

    def begin(self, day: date) -> None:
        """The behaviours taken up by `day`."""
        while self.onsets and self.onsets[0].day <= day:
            onset = self.onsets.pop(0)
            h = self.habits[onset.mmsi]
            if onset.behaviour == "clone":
                h.clone_of = onset.clone_of
            else:
                setattr(h, onset.behaviour, onset.rate)

    def stop(self, mmsi: int, behaviour: str) -> None:
        """A vessel a check caught stops (the penalty, or the hand-over, deters it)."""
        self.caught[mmsi, behaviour] += 1
        h = self.habits[mmsi]
        if behaviour == "clone":
            h.clone_of = None
        elif behaviour in BEHAVIOURS:
            setattr(h, behaviour, 0.0)


@dataclass
class Day:
    positions: pl.DataFrame  # ais.POSITION_COLUMNS
    static: pl.DataFrame  # ais.STATIC_COLUMNS
    passages: pl.DataFrame  # the checkpoint CSV's columns (PASSAGE_COLUMNS)
    trips: int


BEHAVIOURS = ("dark", "berthing", "unlicensed", "dumping")


def state(waters: Waters) -> State:
    """Who takes up what, and when: each behaviour's vessels a year (params), a quarter of them at it on New
    Year's Day and the rest starting on a day spread over the year; distinct vessels. AIS is the master's
    duty (SL-02 applies to persons), so those who switch it off sail family-owned vessels; loading and
    dumping are for muck vessels with a permit; a vessel borrowing an identity takes a laid-up one's."""
    rng = random.Random(waters.seed * 7 + 3)
    permitted = sorted({p.mmsi for p in waters.permits})
    working = [v for v in waters.vessels if not v.laid_up]
    family = [v.mmsi for v in working if v.owner.kind == "person" and v.kind in ("cargo", "muck")]
    pools = {
        "dark": family,
        "berthing": [v.mmsi for v in working],
        "unlicensed": permitted,
        "dumping": [m for m in permitted if m in family],  # often with the AIS off: a master's matter
        "clone": [m for m in family if next(v for v in working if v.mmsi == m).kind == "cargo"],
    }
    idle = [v.mmsi for v in waters.vessels if v.laid_up]
    used: set[int] = set()
    onsets = []
    first, last = date(waters.year, 1, 1), date(waters.year, 12, 31)
    for behaviour in (*BEHAVIOURS, "clone"):
        per_year = params.CLONES if behaviour == "clone" else getattr(params, behaviour.upper())[0]
        count = max(1, round(per_year * waters.scale))
        pool = [m for m in pools[behaviour] if m not in used]
        for mmsi in rng.sample(pool, min(count, len(pool))):
            used.add(mmsi)
            day = first if rng.random() < 0.25 else first + timedelta(days=rng.randrange((last - first).days))
            if behaviour == "clone":
                if not idle:
                    continue
                onsets.append(Onset(day, mmsi, behaviour, clone_of=idle.pop(rng.randrange(len(idle)))))
            else:
                _, low, high = getattr(params, behaviour.upper())
                onsets.append(Onset(day, mmsi, behaviour, rate=rng.uniform(low, high)))
    onsets.sort(key=lambda o: (o.day, o.mmsi))
    return State({v.mmsi: Habits() for v in waters.vessels}, onsets)


# ── Trips ─────────────────────────────────────────────────────────────────────────────────────────────


class _Track:
    """One vessel's trip as knots: (seconds after the day's midnight, lat, lon), and the navigational status
    of the stretch from each knot to the next (0 under way, 5 moored). Consecutive knots at one place: a
    stop."""

    def __init__(self, at: tuple[float, float], t: float, speed_kmh: float) -> None:
        self.t, self.lat, self.lon, self.status = [t], [at[0]], [at[1]], [0]
        self.speed_kmh = speed_kmh
        self.passages: list[tuple[str, float, str]] = []  # (checkpoint, time, direction)
        self.berthed = False

    def cut(self, end: float) -> None:
        """The trip as far as `end` (the day's file ends at midnight): what lies beyond is not sailed."""
        if self.now <= end:
            return
        k = next(i for i, t in enumerate(self.t) if t > end)
        f = (end - self.t[k - 1]) / (self.t[k] - self.t[k - 1])
        at = (
            self.lat[k - 1] + f * (self.lat[k] - self.lat[k - 1]),
            self.lon[k - 1] + f * (self.lon[k] - self.lon[k - 1]),
        )
        for column in (self.t, self.lat, self.lon, self.status):
            del column[k:]
        self.t.append(end)
        self.lat.append(at[0])
        self.lon.append(at[1])
        self.status.append(0)
        self.passages = [p for p in self.passages if p[1] <= end]

    @property
    def now(self) -> float:
        return self.t[-1]

    @property
    def here(self) -> Node:
        return (self.lat[-1], self.lon[-1])

    def _knot(self, t: float, at: tuple[float, float], status: int) -> None:
        self.status[-1] = status
        self.t.append(t)
        self.lat.append(at[0])
        self.lon.append(at[1])
        self.status.append(0)

    def move(self, at: tuple[float, float], seconds: float) -> None:
        self._knot(self.now + seconds, at, 0)

    def sail(self, route: Route, start: int, end: int) -> None:
        """Along the route's nodes after `start` up to `end`, at the trip's speed."""
        if end <= start:
            return
        self.status[-1] = 0
        base, origin = self.now, route.km[start]
        per_km = 3600 / self.speed_kmh
        nodes = route.nodes[start + 1 : end + 1]
        self.t.extend(base + (k - origin) * per_km for k in route.km[start + 1 : end + 1])
        self.lat.extend(n[0] for n in nodes)
        self.lon.extend(n[1] for n in nodes)
        self.status.extend([0] * len(nodes))

    def stay(self, minutes: float, status: int = 5) -> None:
        self._knot(self.now + minutes * 60, self.here, status)

    def berth(self, where: tuple[float, float], minutes: float) -> tuple[float, float]:
        """Turn in to a berth beside the channel, lie there, and come back out: (arrived, left)."""
        channel = self.here
        self.move(where, BERTH_MOVE_S)
        arrived = self.now
        self.stay(minutes)
        left = self.now
        self.move(channel, BERTH_MOVE_S)
        return arrived, left


class Planner:
    """The day's trips, drawn vessel by vessel."""

    def __init__(self, waters: Waters, state: State, day: date, working: bool, seed: int) -> None:
        self.waters, self.state, self.day, self.working = waters, state, day, working
        self.rng = random.Random(seed * 1_000_003 + day.toordinal())
        self.midnight = datetime(day.year, day.month, day.day, tzinfo=UTC) - CHINA_OFFSET
        self.midnight_us = int(self.midnight.timestamp()) * 1_000_000
        self.locks = {node for _, node in waters.locks}
        self.docks = [z for z in waters.zones if z.kind in ("dock", "berth")]
        self.unlicensed = [z for z in waters.zones if z.kind == "unlicensed"]
        self.by_code = {z.code: z for z in waters.zones}
        self.by_mmsi = {v.mmsi: v for v in waters.vessels}
        self.by_name = {v.name: v for v in waters.vessels}
        self.permits = self._permits_today()
        self.tracks: list[tuple[Vessel, _Track, list[tuple[float, float]], int, str]] = []

    def _permits_today(self) -> dict[int, tuple[str, str]]:
        return {
            p.mmsi: (p.loading, p.dumping)
            for p in self.waters.permits
            if p.valid_from <= self.day <= p.valid_to
        }

    def moment(self, seconds: float) -> datetime:
        return self.midnight + timedelta(seconds=seconds)

    def episode(self, kind: str, mmsi: int, a: float, b: float, genuine: bool, key: str = "") -> None:
        key = key or f"{kind}:{mmsi}:{self.day.isoformat()}:{a:.0f}"
        self.state.log(Episode(kind, mmsi, self.moment(a), self.moment(b), genuine, key))

    # The vessels' days

    def run(self) -> None:
        self.state.begin(self.day)
        permitted = {p.mmsi for p in self.waters.permits}
        for v in self.waters.vessels:
            if v.laid_up:
                continue
            if v.kind == "muck":
                if v.mmsi in permitted and self.working:
                    self._muck_day(v)
            elif self.rng.random() < params.CARGO_TRIP_DAYS:
                self._cargo_trip(v)

    def _speed(self) -> float:
        return self.rng.uniform(*params.SPEED_KN) * KNOT_KMH

    def _spare(self, v: Vessel) -> float:
        """Time a trip keeps in hand (seconds): for waiting at locks and bridges, and for a long berthing."""
        berthing = params.BERTHING_HOURS[1] * 3600 if self.state.habits[v.mmsi].berthing else 0
        return 3600 + 2 * params.LOCK_WAIT[2] * 60 + berthing

    def _route(self, a: Node, b: Node) -> Route:
        return self.waters.route(a, b)

    def _cargo_trip(self, v: Vessel) -> None:
        rng = self.rng
        kind = rng.choices(("through", "in", "out", "local"), (0.35, 0.25, 0.25, 0.15))[0]
        dock_a, dock_b = rng.sample(self.docks, 2)
        origin = rng.choice(self.waters.borders) if kind in ("through", "in") else dock_a.node
        destination = rng.choice(self.waters.borders) if kind in ("through", "out") else dock_b.node
        if origin == destination:
            return
        legs = [self._route(origin, destination)]
        stop_dock = None
        if kind == "through" and rng.random() < params.DOCK_STOP:
            stop_dock = dock_b
            legs = [self._route(origin, dock_b.node), self._route(dock_b.node, destination)]
        speed = self._speed()
        km = sum(leg.length for leg in legs)
        dock_minutes = rng.uniform(*params.DOCK_MINUTES)
        need = km / speed * 3600 + (dock_minutes * 60 if stop_dock or kind in ("in", "local") else 0)
        need += self._spare(v)
        if need > LAST_END_S - FIRST_START_S:
            return
        t0 = rng.uniform(FIRST_START_S, LAST_END_S - need)
        track = _Track(origin, t0, speed)
        if kind in ("out", "local"):
            track.berth(dock_a.berth, rng.uniform(10, 25))
        for n, leg in enumerate(legs):
            self._sail(v, track, leg)
            if n == 0 and stop_dock is not None:
                track.berth(stop_dock.berth, dock_minutes)
        if kind in ("in", "local"):
            track.berth(dock_b.berth, dock_minutes)
        self._finish(v, track)

    def _muck_day(self, v: Vessel) -> None:
        rng = self.rng
        if self.state.idle_until.get(v.mmsi, self.day) > self.day:
            return
        today = self.permits.get(v.mmsi)
        lapsed = today is None
        if today is None:  # no valid permit today: most such vessels wait for the renewal, a few work anyway
            if rng.random() >= params.LAPSED_WORK:
                return
            today = next((p.loading, p.dumping) for p in self.waters.permits if p.mmsi == v.mmsi)
        elif rng.random() >= params.MUCK_WORK_DAYS:
            return
        loading, dumping = self.by_code[today[0]], self.by_code[today[1]]
        home = self.by_code[v.home]
        speed = self._speed()
        h = self.state.habits[v.mmsi]
        rounds = rng.randint(*params.MUCK_ROUNDS)
        round_km = self._route(loading.node, dumping.node).length * 2
        approach = self._route(home.node, loading.node).length + self._route(dumping.node, home.node).length
        per_round = round_km / speed * 3600 + 60 * (
            params.MUCK_LOAD_MINUTES[1] + params.MUCK_UNLOAD_MINUTES[1]
        )
        need = approach / speed * 3600 + per_round * rounds + self._spare(v)
        while rounds > 1 and need > LAST_END_S - FIRST_START_S:
            rounds -= 1
            need -= per_round
        if need > LAST_END_S - FIRST_START_S:
            return
        track = _Track(home.node, rng.uniform(FIRST_START_S, LAST_END_S - need), speed)
        track.berth(home.berth, rng.uniform(10, 25))
        start = track.now
        dark: tuple[float, float] | None = None
        for _ in range(rounds):
            where = loading
            if h.unlicensed and rng.random() < h.unlicensed:
                where = min(self.unlicensed, key=lambda z: self._route(track.here, z.node).length)
            self._sail(v, track, self._route(track.here, where.node))
            arrived, left = track.berth(where.berth, rng.uniform(*params.MUCK_LOAD_MINUTES))
            if where is not loading:
                self.episode(
                    "unlicensed", v.mmsi, arrived, left, True, self.state.spell(v.mmsi, "unlicensed")
                )
            to_dump = self._route(where.node, dumping.node)
            if h.dumping and rng.random() < h.dumping:
                # on the way, between two nodes: tip the load into the water, then go home — often with
                # the AIS off from leaving the loading site until well away from where the load went
                off = track.now
                self._dump(track, to_dump, rng.uniform(25, 50))
                if rng.random() < params.DUMPING_DARK:
                    dark = (off, track.now + rng.uniform(20, 40) * 60)
                spell = self.state.spell(v.mmsi, "dumping")
                self.episode("dump", v.mmsi, left, track.now + 1800, True, spell)
                break
            self._sail(v, track, to_dump)
            track.berth(dumping.berth, rng.uniform(*params.MUCK_UNLOAD_MINUTES))
        self._sail(v, track, self._route(track.here, home.node))
        track.berth(home.berth, rng.uniform(10, 20))
        if lapsed:
            self.episode("no_permit", v.mmsi, start, track.now, True, self.state.spell(v.mmsi, "no_permit"))
        windows = []
        if dark is not None:
            windows.append(dark)
            self.episode("dark", v.mmsi, *dark, True, self.state.spell(v.mmsi, "dark"))
        self._finish(v, track, windows)

    def _dump(self, track: _Track, route: Route, minutes: float) -> None:
        """Sail part of the route (three to seven tenths of it), lie there `minutes`, and go on to the next
        node: where a vessel tips its load short of the dumping site."""
        at_km = route.length * self.rng.uniform(0.3, 0.7)
        i = max(k for k, km in enumerate(route.km) if km <= at_km and k < len(route.nodes) - 1)
        track.sail(route, 0, i)
        a, b = route.nodes[i], route.nodes[i + 1]
        f = (at_km - route.km[i]) / max(route.km[i + 1] - route.km[i], 1e-9)
        per_km = 3600 / track.speed_kmh
        track.move((a[0] + f * (b[0] - a[0]), a[1] + f * (b[1] - a[1])), (at_km - route.km[i]) * per_km)
        track.stay(minutes, status=0)
        track.move(b, (route.km[i + 1] - at_km) * per_km)

    def _sail(self, v: Vessel, track: _Track, route: Route) -> None:
        """Along the route at the trip's speed, past its checkpoints, waiting where a lock or a narrow bridge
        makes vessels wait (and berthing in the no-berthing zone, for a vessel in that habit)."""
        rng = self.rng
        h = self.state.habits[v.mmsi]
        done = 0
        for i, code, what in (*route.marks, (len(route.nodes) - 1, "", "end")):
            track.sail(route, done, i)
            done = i
            if what in ("上行", "下行"):
                track.passages.append((code, track.now, what))
            elif what == "wait":
                share, low, high = params.LOCK_WAIT if route.nodes[i] in self.locks else params.BRIDGE_WAIT
                arrived = track.now
                if h.berthing and not track.berthed and rng.random() < h.berthing:  # once a trip at most
                    track.berthed = True
                    track.stay(rng.uniform(*params.BERTHING_HOURS) * 60, status=5)
                    spell = self.state.spell(v.mmsi, "berthing")
                    self.episode("berthing", v.mmsi, arrived, track.now, True, spell)
                elif rng.random() < share:
                    track.stay(rng.uniform(low, high), status=0)
                    self.episode("waiting", v.mmsi, arrived, track.now, False)

    def _finish(self, v: Vessel, track: _Track, dark: list[tuple[float, float]] | None = None) -> None:
        """The trip done: its AIS (under the identity it sends, with the stretches it was off) and its camera
        passages are kept for the day's files."""
        h = self.state.habits[v.mmsi]
        track.cut(DAY_END_S)
        windows = list(dark or [])
        identity = v
        if h.clone_of:  # its own AIS off, a second set sending the laid-up vessel's identity
            identity = self.by_mmsi[h.clone_of]
            spell = self.state.spell(v.mmsi, "clone")
            self.episode("dark", v.mmsi, track.t[0], track.now, True, spell)
            self.episode("cloned", identity.mmsi, track.t[0], track.now, False, spell)
        elif h.dark and track.passages and self.rng.random() < h.dark:
            _, at, _ = self.rng.choice(track.passages)
            off = (at - self.rng.uniform(20, 50) * 60, at + self.rng.uniform(20, 50) * 60)
            windows.append(off)
            self.episode("dark", v.mmsi, *off, True, self.state.spell(v.mmsi, "dark"))
        self.tracks.append((identity, track, windows, v.mmsi, v.name))

    # What the shore sees

    def shore(self) -> Day:
        self.run()
        sent = [  # a static report as each trip begins, unless the AIS is off then
            (identity, track)
            for identity, track, windows, *_ in self.tracks
            if not any(a <= track.t[0] + 1 <= b for a, b in windows)
        ]
        static = pl.DataFrame(
            {
                "time": [self.moment(track.t[0] + 1) for _, track in sent],
                "mmsi": [identity.mmsi for identity, _ in sent],
                "name": [identity.ais_name for identity, _ in sent],
                "ship_type": [SHIP_TYPE[identity.kind] for identity, _ in sent],
                "length_m": [identity.length_m for identity, _ in sent],
                "beam_m": [identity.beam_m for identity, _ in sent],
                "draught_m": [identity.draught_m for identity, _ in sent],
                "destination": ["JIAXING" for _ in sent],
            },
            schema_overrides={"time": pl.Datetime("us", "UTC"), "mmsi": pl.Int64, "ship_type": pl.Int64},
        ).sort("time")
        return Day(self._positions(), static, self._passages(), len(self.tracks))

    def _positions(self) -> pl.DataFrame:
        """Every trip sampled every AIS_INTERVAL_S (moving, stopped), with GPS noise, the AIS-off stretches
        left out; one NumPy pass for the whole day."""
        move_s, stop_s = params.AIS_INTERVAL_S
        rng = np.random.default_rng(self.rng.randrange(2**32))
        offset = 200_000.0  # seconds between trips on a common time line: one np.interp for all
        knots_t, knots_lat, knots_lon, knots_status, samples, owners = [], [], [], [], [], []
        for k, (identity, track, windows, _, _) in enumerate(self.tracks):
            t = np.asarray(track.t)
            s = np.arange(t[0] + rng.uniform(0, move_s), t[-1], move_s)
            s = s + rng.uniform(-15, 15, len(s))
            for a, b in windows:
                s = s[(s < a) | (s > b)]
            knots_t.append(t + k * offset)
            knots_lat.append(np.asarray(track.lat))
            knots_lon.append(np.asarray(track.lon))
            knots_status.append(np.asarray(track.status))
            samples.append(s + k * offset)
            owners.append(np.full(len(s), identity.mmsi, dtype=np.int64))
        if not samples:
            return pl.DataFrame(schema=POSITION_SCHEMA)
        kt, klat, klon = np.concatenate(knots_t), np.concatenate(knots_lat), np.concatenate(knots_lon)
        kstatus = np.concatenate(knots_status)
        st, mmsi = np.concatenate(samples), np.concatenate(owners)
        seg = np.clip(np.searchsorted(kt, st, side="right") - 1, 0, len(kt) - 2)
        lat = np.interp(st, kt, klat)
        lon = np.interp(st, kt, klon)
        dlat, dlon = klat[seg + 1] - klat[seg], klon[seg + 1] - klon[seg]
        dt = np.maximum(kt[seg + 1] - kt[seg], 1.0)
        north_m = dlat * 111_200
        east_m = dlon * 111_200 * np.cos(np.radians(lat))
        metres = np.hypot(north_m, east_m)
        stopped = metres < 1.0
        sog = np.where(
            stopped,
            rng.uniform(0, 0.1, len(st)),
            metres / dt / (KNOT_KMH / 3.6) + rng.normal(0, 0.15, len(st)),
        )
        cog = np.degrees(np.arctan2(east_m, north_m)) % 360
        cog = np.where(stopped, rng.uniform(0, 360, len(st)), cog)
        keep = ~stopped | (np.floor(st / stop_s) != np.floor((st - move_s) / stop_s))  # every other report
        seconds = np.rint(st % offset).astype(np.int64)
        frame = pl.DataFrame(
            {
                "time": self.midnight_us + seconds * 1_000_000,
                "mmsi": mmsi,
                "status": np.where(stopped, kstatus[seg], 0),
                "sog_kn": np.round(np.maximum(sog, 0), 1),
                "cog": np.round(cog, 1),
                "heading": np.rint(cog + rng.normal(0, 2, len(st))).astype(np.int64) % 360,
                "lat": lat + rng.normal(0, GPS_NOISE_DEG, len(st)),
                "lon": lon + rng.normal(0, GPS_NOISE_DEG, len(st)),
            }
        ).filter(pl.Series(keep))
        return frame.cast(POSITION_SCHEMA).sort("time")

    def _passages(self) -> pl.DataFrame:
        """The cameras' records: the name painted on the hull as read, mostly right and confident."""
        rows: list[dict[str, Any]] = []
        for _, track, _, mmsi, name in self.tracks:
            for checkpoint, t, direction in track.passages:
                read, confidence = name, self.rng.uniform(*params.OCR_CONFIDENCE)
                if self.rng.random() < params.OCR_MISREAD:
                    read = _misread(name, self.rng)
                    confident = self.rng.random() < params.OCR_MISREAD_CONFIDENT
                    confidence = self.rng.uniform(0.8, 0.9) if confident else self.rng.uniform(0.35, 0.79)
                    if confident:
                        other = self.by_name.get(read)
                        for who in {mmsi, *([other.mmsi] if other else [])}:
                            self.episode("misread", who, t - 600, t + 600, False)
                rows.append(
                    {
                        "checkpoint": checkpoint,
                        "t": t,
                        "ship_name": read,
                        "confidence": confidence,
                        "direction": direction,
                    }
                )
        rows.sort(key=lambda r: (r["t"], r["checkpoint"]))
        stamp = f"{self.day:%Y%m%d}"
        out = []
        for n, r in enumerate(rows, start=1):
            record_id = f"{r['checkpoint']}-{stamp}-{n:05d}"
            local = self.moment(r["t"]) + CHINA_OFFSET
            out.append(
                {
                    "record_id": record_id,
                    "checkpoint": r["checkpoint"],
                    "passed_at": local.replace(tzinfo=None).isoformat(timespec="seconds") + "+08:00",
                    "ship_name": r["ship_name"],
                    "confidence": f"{r['confidence']:.2f}",
                    "direction": r["direction"],
                    "photo": _photo(record_id),
                }
            )
        return pl.DataFrame(out, schema={c: pl.String for c in PASSAGE_COLUMNS})


POSITION_SCHEMA = pl.Schema(
    {
        "time": pl.Datetime("us", "UTC"),
        "mmsi": pl.Int64(),
        "status": pl.Int64(),
        "sog_kn": pl.Float64(),
        "cog": pl.Float64(),
        "heading": pl.Int64(),
        "lat": pl.Float64(),
        "lon": pl.Float64(),
    }
)
SHIP_TYPE = {"cargo": 70, "muck": 70, "work": 33, "passenger": 60, "other": 90}  # AIS ship and cargo type
PASSAGE_COLUMNS = ("record_id", "checkpoint", "passed_at", "ship_name", "confidence", "direction", "photo")


def _photo(record_id: str) -> str:
    """The SHA-256 the camera gives its photo of the passage (the photo stays with the camera system)."""
    import hashlib

    return hashlib.sha256(f"checkpoint-photo/{record_id}".encode()).hexdigest()


def _misread(name: str, rng: random.Random) -> str:
    """The name with one of its digits read wrong."""
    positions = [i for i, ch in enumerate(name) if ch in DIGITS]
    i = rng.choice(positions)
    return name[:i] + rng.choice(DIGITS.replace(name[i], "")) + name[i + 1 :]


def day(waters: Waters, state: State, on: date, working: bool, seed: int) -> Day:
    return Planner(waters, state, on, working, seed).shore()
