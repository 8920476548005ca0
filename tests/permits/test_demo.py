"""The demo's key control bridges: deterministic, on the demo roads, checkable with the rule data."""

from datetime import date

from jiafa.law import ruledata
from jiafa.permits import demo
from jiafa.simulate.world import roads

BOOK = ruledata.load(ruledata.PACKAGED)


def test_210_bridges_on_the_roads_the_same_every_time() -> None:
    bridges = demo.bridges()
    assert len(bridges) == 210 and len({b.code for b in bridges}) == 210
    assert demo.bridges(seed=7) != bridges and demo.bridges(seed=7) == demo.bridges(seed=7)
    network = roads()
    for b in bridges:
        road = network[b.road]
        assert (b.lat, b.lon) == road.at(b.fraction)
        (a_lat, a_lon), (b_lat, b_lon) = road.points[b.leg], road.points[b.leg + 1]
        assert min(a_lat, b_lat) - 1e-4 <= b.lat <= max(a_lat, b_lat) + 1e-4
        assert min(a_lon, b_lon) - 1e-4 <= b.lon <= max(a_lon, b_lon) + 1e-4


def test_every_bridge_resolves_to_spans_the_check_accepts() -> None:
    grades = {b.condition_grade for b in demo.bridges()}
    assert grades >= {1, 2, 3, 4}
    for b in demo.bridges():
        spans = b.check_spans(BOOK, date(2024, 6, 1))
        assert sorted({s.span_m for s in spans}) == sorted(set(b.spans_m))
        assert b.single_vehicle == (b.condition_grade >= 3)
