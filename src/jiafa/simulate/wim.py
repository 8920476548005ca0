"""A day of weigh-in-motion passages in the demo world, in the record format stations send
(docs/contract.md, "Weigh-in-motion records"): trips of the world's trucks past one or two stations, loaded
lawfully or over by each truck's habit, with the sensor faults real stations produce. Column arithmetic in
Polars, keyed by hashes of (seed, day, trip): no Python object per record, and the same seed gives the same
records.
"""

from __future__ import annotations

import hashlib
import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import polars as pl

from jiafa.law.book import rulebook
from jiafa.overload import records
from jiafa.simulate import params
from jiafa.simulate.world import World

c = pl.col
# Per axle count: each axle's share of the gross (the last takes the rest) and the typical spacings (mm).
AXLE_SHARES = {
    2: (0.36, 0.64),
    3: (0.26, 0.37, 0.37),
    4: (0.16, 0.16, 0.34, 0.34),
    5: (0.15, 0.22, 0.21, 0.21, 0.21),
    6: (0.12, 0.18, 0.18, 0.173, 0.173, 0.174),
}
SPACINGS = {
    2: (4500,),
    3: (4800, 1350),
    4: (1900, 4500, 1350),
    5: (3300, 1300, 6500, 1310),
    6: (3200, 1350, 7000, 1310, 1310),
}


def fleet(world: World, day: date) -> pl.DataFrame:
    """The world's trucks as a table, with the Art. 3 limit of each on `day` (from the rulebook)."""
    trucks = pl.DataFrame(
        {
            "truck": range(len(world.trucks)),
            "plate": [t.plate for t in world.trucks],
            "plate_color": [t.plate_color for t in world.trucks],
            "axles": [t.axles for t in world.trucks],
            "combination": [t.combination for t in world.trucks],
            "single_drive_axle": [t.single_drive_axle for t in world.trucks],
            "habit": [t.habit for t in world.trucks],
            "rate": [t.rate for t in world.trucks],
            "hundred_tonne": [t.hundred_tonne for t in world.trucks],
        },
        schema_overrides={"axles": pl.Int16, "truck": pl.Int64},
    )
    classes = records.rule_tables(rulebook(), [day]).classes.select(
        "axles",
        c("judged_combination").alias("combination"),
        c("judged_single_drive").alias("single_drive_axle"),
        "limit_kg",
    )
    return trucks.join(classes, on=["axles", "combination", "single_drive_axle"], how="left")


def reformed(trucks: pl.DataFrame, plates: list[str], rng: random.Random) -> pl.DataFrame:
    """The fleet after these trucks stopped running overloaded (a penalty deterred their owner) — and as many
    others started: the share of the fleet that overloads stays what the market makes it; enforcement changes
    who, not how many."""
    deterred = c("plate").is_in(plates) & (c("habit") > params.OCCASIONAL_TRIPS)
    n = int(trucks.select(deterred.sum()).item())
    lawful = trucks.with_row_index("row").filter(
        (c("habit") <= params.OCCASIONAL_TRIPS) & ~c("plate").is_in(plates)
    )
    starting = lawful.sample(min(n, lawful.height), seed=rng.randrange(2**32))["row"]
    habits = pl.Series([rng.uniform(*params.HABITUAL_TRIPS) for _ in range(starting.len())], dtype=pl.Float64)
    habit = trucks["habit"].scatter(starting, habits) if starting.len() else trucks["habit"]
    return trucks.with_columns(habit=habit).with_columns(
        habit=pl.when(deterred).then(params.OCCASIONAL_TRIPS).otherwise(c("habit"))
    )


def passages(world: World, trucks: pl.DataFrame, day: date, factor: float) -> pl.DataFrame:
    """The day's records, in time order. `factor` scales the weekday traffic (weekends, holidays)."""
    seed = world.seed * 100_000 + day.toordinal() % 100_000
    n = max(1, round(params.PASSAGES_PER_DAY * world.scale * factor / (1 + params.SECOND_PASS)))
    sites = world.sites
    weights = [params.STATION_WEIGHT[s.kind] for s in sites]
    bounds = [sum(weights[: k + 1]) / sum(weights) for k in range(len(sites))]
    midnight = datetime.combine(day, datetime.min.time(), tzinfo=UTC) - records.CST

    def h(key: str, salt: int) -> pl.Expr:
        return c(key).hash(seed * 100 + salt)

    def uniform(key: str, salt: int) -> pl.Expr:
        return (h(key, salt) % 1_000_000).cast(pl.Float64) / 1_000_000

    trips = (
        pl.LazyFrame()
        .select(trip=pl.int_range(0, n, dtype=pl.Int64))
        .with_columns(
            truck=(h("trip", 1) % len(world.trucks)).cast(pl.Int64),
            # traffic peaks in the day and thins out at night: the hour of a uniform draw, squeezed
            start_s=(uniform("trip", 2).pow(1.15) * 86400).cast(pl.Int64),
            first=_pick(uniform("trip", 3), bounds),
            second_pass=uniform("trip", 4) < params.SECOND_PASS,
            gap_s=(
                params.SECOND_PASS_MINUTES[0] * 60
                + h("trip", 5) % ((params.SECOND_PASS_MINUTES[1] - params.SECOND_PASS_MINUTES[0]) * 60)
            ).cast(pl.Int64),
            other=(1 + h("trip", 6) % (len(sites) - 1)).cast(pl.Int64),
            over_draw=uniform("trip", 7),
        )
        .join(trucks.lazy(), on="truck", how="left")
        .with_columns(overloaded=c("over_draw") < c("habit"))
    )
    legs = pl.concat(
        [
            trips.with_columns(leg=pl.lit(0, pl.Int64), station_no=c("first")),
            trips.filter(c("second_pass")).with_columns(
                leg=pl.lit(1, pl.Int64),
                station_no=(c("first") + c("other")) % len(sites),
                start_s=c("start_s") + c("gap_s"),
            ),
        ]
    ).with_columns(i=c("trip") * 2 + c("leg"))
    frame = legs.with_columns(
        gross_kg=pl.when(c("overloaded") & c("hundred_tonne"))
        .then(100_000 + h("i", 8) % 9_000)
        .when(c("overloaded"))
        .then(c("limit_kg") * (1 + c("rate") * (0.95 + 0.1 * uniform("i", 9))))
        .otherwise(
            c("limit_kg")
            * (params.EMPTY_LOAD[0] + (params.EMPTY_LOAD[1] - params.EMPTY_LOAD[0]) * uniform("i", 10))
        )
        .cast(pl.Int32)
    )
    codes = [s.code for s in sites]
    frame = frame.with_columns(
        record_id=pl.format(
            "{}-{}-{}",
            c("station_no").replace_strict(dict(enumerate(codes)), return_dtype=pl.String),
            pl.lit(day.strftime("%Y%m%d")),
            c("i").cast(pl.String).str.zfill(7),
        ),
        station_id=c("station_no").replace_strict(dict(enumerate(codes)), return_dtype=pl.String),
        lane=(1 + h("i", 11) % 3).cast(pl.Int16),
        passed_at=(pl.lit(midnight) + pl.duration(seconds=c("start_s"))).dt.cast_time_unit("us"),
        plate_confidence=0.86 + (h("i", 12) % 14).cast(pl.Float64) / 100,
        axle_loads_kg=_axle_loads(),
        axle_spacings_mm=_by_axles(
            {a: pl.lit(list(s), dtype=records.INTS) for a, s in SPACINGS.items()}
        ).list.eval(pl.element() + pl.element() // 40),
        speed_kmh=(28 + h("i", 13) % 60).cast(pl.Float64) + 0.5,
        length_mm=(7000 + c("axles").cast(pl.Int32) * 1800).cast(pl.Int32),
        width_mm=pl.lit(2550, pl.Int32),
        height_mm=(3500 + h("i", 14) % 500).cast(pl.Int32),
        photo_front=_sha_like(seed, 21),
        photo_side=_sha_like(seed, 22),
        photo_rear=_sha_like(seed, 23),
        video=pl.when(h("i", 24) % 10 < 3).then(_sha_like(seed, 25)),
        fault=(h("i", 26) % 100_000).cast(pl.Int64),
    )
    return _faults(frame).select(*records.COLUMNS).sort("passed_at", "record_id").collect()


def _pick(u: pl.Expr, bounds: list[float]) -> pl.Expr:
    """The index of the first cumulative bound above `u`."""
    chain: Any = pl.when(u < bounds[0]).then(0)
    for k, bound in enumerate(bounds[1:], start=1):
        chain = chain.when(u < bound).then(k)
    return chain.otherwise(len(bounds) - 1).cast(pl.Int64)


def _by_axles(values: dict[int, pl.Expr]) -> pl.Expr:
    chain: Any = pl.when(c("axles") == 2).then(values[2])
    for axles in (3, 4, 5):
        chain = chain.when(c("axles") == axles).then(values[axles])
    return chain.otherwise(values[6])


def _axle_loads() -> pl.Expr:
    lists = {}
    for axles, shares in AXLE_SHARES.items():
        front = [(c("gross_kg") * share).cast(pl.Int32) for share in shares[:-1]]
        lists[axles] = pl.concat_list(*front, (c("gross_kg") - pl.sum_horizontal(front)).cast(pl.Int32))
    return _by_axles(lists)


def _sha_like(seed: int, salt: int) -> pl.Expr:
    """64 hexadecimal digits, different for every record: what a station's photo reference looks like."""
    parts = [c("i").hash(seed * 1000 + salt * 10 + k).cast(pl.String).str.zfill(20) for k in range(3)]
    return pl.concat_str(
        *parts, (c("i").hash(seed * 1000 + salt * 10 + 3) % 10000).cast(pl.String).str.zfill(4)
    )


def _faults(frame: pl.LazyFrame) -> pl.LazyFrame:
    """About FAULTY_RECORDS of the records spoiled by the sensor, one fault each."""
    bad = c("fault") < round(params.FAULTY_RECORDS * 100_000)
    kind = c("fault") % 6
    return frame.with_columns(
        plate=pl.when(bad & (kind == 0)).then(pl.lit("未识别")).otherwise(c("plate")),
        plate_confidence=pl.when(bad & (kind == 1)).then(0.41).otherwise(c("plate_confidence")),
        photo_side=pl.when(bad & (kind == 2)).then(None).otherwise(c("photo_side")),
        speed_kmh=pl.when(bad & (kind == 3)).then(148.0).otherwise(c("speed_kmh")),
        axle_loads_kg=pl.when(bad & (kind == 4))
        .then(c("axle_loads_kg").list.eval(pl.element() * 2))
        .otherwise(c("axle_loads_kg")),
        axle_spacings_mm=pl.when(bad & (kind == 5))
        .then(pl.lit([90], dtype=records.INTS))
        .otherwise(c("axle_spacings_mm")),
    )


def traffic_factor(day: date, working: bool) -> float:
    """A weekday's traffic is 1; weekends and statutory holidays (a weekday off) carry less."""
    if working:
        return 1.0
    return params.WEEKEND_FACTOR if day.weekday() >= 5 else params.HOLIDAY_FACTOR


PUSHED_LOADS = (7000, 11000, 11000, 11000, 11000, 11000)


def pushed_record(i: int, station: str, start: datetime) -> dict[str, object]:
    """One well-formed record as a station pushes it (JSON fields of the record format): a six-axle
    combination at 62 t, its axle loads adding up to the gross, passing `i` seconds after `start`, with its
    evidence referenced by SHA-256. What the stream's tests and benchmark send."""

    def digest(name: str) -> str:
        return hashlib.sha256(f"{station}/{i}/{name}".encode()).hexdigest()

    return {
        "record_id": f"{station}-{i:08d}",
        "station_id": station,
        "lane": 1 + i % 2,
        "passed_at": (start + timedelta(seconds=i)).isoformat(),
        "plate": f"浙F{10000 + i}",
        "plate_color": "黄",
        "plate_confidence": 0.98,
        "axles": 6,
        "combination": True,
        "single_drive_axle": False,
        "gross_kg": sum(PUSHED_LOADS),
        "axle_loads_kg": list(PUSHED_LOADS),
        "axle_spacings_mm": [3200, 1350, 7000, 1310, 1310],
        "speed_kmh": 62.5,
        "length_mm": 16500,
        "width_mm": 2550,
        "height_mm": 3900,
        "photo_front": digest("front.jpg"),
        "photo_side": digest("side.jpg"),
        "photo_rear": digest("rear.jpg"),
        "video": digest("clip.mp4"),
    }
