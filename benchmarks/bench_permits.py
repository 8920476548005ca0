"""The bridge check: one vehicle (a 12-axle oversize combination) against the 210 key bridges of the demo,
and against as many spans all of different lengths (no repeated length to share work: the worst case).
A full application: route, every bridge on the network and the alternatives, for seeded demo applications
between random places, with the share the automatic check could decide (a passable route)."""

import json
import random
import time
from datetime import date

import numpy as np

from jiafa.law import ruledata
from jiafa.permits import demo, routing
from jiafa.permits.rules import LaneLoad, Span, Vehicle, check
from jiafa.simulate.world import roads

ROUNDS = 50
APPLICATIONS = 200


def timed(vehicle: Vehicle, spans: list[Span], lane: LaneLoad) -> dict[str, float]:
    check(vehicle, spans, lane)  # warm-up
    times = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        check(vehicle, spans, lane)
        times.append(time.perf_counter() - start)
    return {"median_ms": round(float(np.median(times)) * 1000, 2), "max_ms": round(max(times) * 1000, 2)}


def main() -> None:
    book, day = ruledata.load(ruledata.PACKAGED), date(2024, 6, 1)
    lane = LaneLoad.in_force(book, day)
    bridges = demo.bridges()
    spans = [span for bridge in bridges for span in bridge.check_spans(book, day)]
    distinct = [Span(s.span_m + i * 0.001, s.design_load, s.red_line_ratio) for i, s in enumerate(spans)]
    vehicle = Vehicle.of([60, 110, 110] + [150] * 9, [3.2, 1.4, 6.0] + [1.5] * 8)
    common = {"bridges": len(bridges), "spans": len(spans), "axles": len(vehicle.axle_loads_kn)}
    for figure, checked in (
        ("bridge_check_one_vehicle_ms", spans),
        ("bridge_check_distinct_spans_ms", distinct),
    ):
        print(json.dumps({"figure": figure, **common, **timed(vehicle, checked, lane)}))
    applications()


def applications() -> None:
    book, day = ruledata.load(ruledata.PACKAGED), date(2024, 6, 1)
    lane = LaneLoad.in_force(book, day)
    network, sites = routing.Network.from_roads(roads()), demo.sites(book, day)
    penalty = {int(k): float(v) for k, v in book.value("permit.route.grade_penalty_km", on=day).items()}
    nodes = sorted(network.graph.nodes)
    rng = random.Random(8)
    times, routed = [], 0
    for _ in range(APPLICATIONS):
        origin, destination = rng.sample(nodes, 2)
        size = routing.Size(width_m=rng.choice((2.5, 3.0, 3.5, 4.0)), height_m=rng.choice((4.0, 4.3, 4.8)))
        vehicle = demo.vehicle(rng)
        start = time.perf_counter()
        plan = routing.plan(network, sites, vehicle, size, origin, destination, lane, penalty)
        times.append(time.perf_counter() - start)
        routed += plan.route is not None
    print(
        json.dumps(
            {
                "figure": "permit_application_check_ms",
                "applications": APPLICATIONS,
                "median_ms": round(float(np.median(times)) * 1000, 2),
                "max_ms": round(max(times) * 1000, 2),
                "share_decided_automatically": round(routed / APPLICATIONS, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
