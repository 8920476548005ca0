"""The bridge check: one vehicle (a 12-axle oversize combination) against the 210 key bridges of the demo,
and against as many spans all of different lengths (no repeated length to share work: the worst case)."""

import json
import time
from datetime import date

import numpy as np

from jiafa.law import ruledata
from jiafa.permits import demo
from jiafa.permits.rules import LaneLoad, Span, Vehicle, check

ROUNDS = 50


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


if __name__ == "__main__":
    main()
