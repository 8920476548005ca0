"""Routing on a two-road network: O → D by a short southern road or a longer northern one, a bridge on
each."""

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law import ruledata
from jiafa.permits import demo
from jiafa.permits.routing import BridgeSite, Network, Size, plan
from jiafa.permits.rules import DesignLoad, LaneLoad, Span, Vehicle
from jiafa.simulate.world import Road, roads

BOOK = ruledata.load(ruledata.PACKAGED)
DAY = date(2024, 6, 1)
LANE = LaneLoad.in_force(BOOK, DAY)
O, D = (30.0, 120.0), (30.0, 121.0)  # noqa: E741 — origin, destination
NORTH = Road("N1", "北线", "national", (O, (30.2, 120.5), D))  # about 106 km
SOUTH = Road("S1", "南线", "provincial", (O, (29.95, 120.5), D))  # about 97 km
NETWORK = Network.from_roads({"N1": NORTH, "S1": SOUTH})
STANDARD = Vehicle.of([30, 120, 120, 140, 140], [3.0, 1.4, 7.0, 1.4])  # shear ratio 0.886 on 20 m, 公路-I级
LIGHT = Vehicle.of([100], [])  # ratio 0.22 on 20 m
NARROW = Size(width_m=3.0, height_m=4.0)
NO_PENALTY = dict.fromkeys(range(1, 6), 0.0)
PENALTY = {1: 0.0, 2: 0.5, 3: 3.0, 4: 10.0, 5: 50.0}


def bridge(code: str, road: Road, leg: int, red_line: float, grade: int, **kw) -> BridgeSite:
    segment = (road.points[leg], road.points[leg + 1])
    return BridgeSite(code, f"{code}桥", segment, (Span(20.0, DesignLoad.I, red_line),), grade, **kw)


WEAK_SOUTH = bridge("S-01", SOUTH, 0, red_line=0.5, grade=4)
STRONG_NORTH = bridge("N-01", NORTH, 1, red_line=1.0, grade=1)


def test_shortest_road_when_every_bridge_takes_the_vehicle_and_grades_do_not_count() -> None:
    p = plan(NETWORK, [WEAK_SOUTH, STRONG_NORTH], LIGHT, NARROW, O, D, LANE, NO_PENALTY)
    assert p.route is not None and p.route.roads == ("S1",)
    assert p.route.km == pytest.approx(96.8, abs=0.5)
    [other] = p.alternatives
    assert other.roads == ("N1",) and other.feasible and "劣于推荐路线" in p.explain(other)


def test_a_bridge_in_poor_condition_is_worth_a_detour() -> None:
    # 97 km + 10 km for a grade-4 bridge > 106 km over a grade-1 bridge.
    p = plan(NETWORK, [WEAK_SOUTH, STRONG_NORTH], LIGHT, NARROW, O, D, LANE, PENALTY)
    assert p.route is not None and p.route.roads == ("N1",)


def test_a_failing_bridge_closes_its_road_and_the_alternative_says_why() -> None:
    p = plan(NETWORK, [WEAK_SOUTH, STRONG_NORTH], STANDARD, NARROW, O, D, LANE, NO_PENALTY)
    assert p.route is not None and p.route.roads == ("N1",)
    assert [v.bridge.code for v in p.route.verdicts] == ["N-01"] and p.route.feasible
    [south] = p.alternatives
    assert not south.feasible
    why = p.explain(south)
    assert "S-01桥（S-01）" in why and "控制效应为剪力" in why and "0.886 > 荷载红线 0.5" in why


def test_no_route_when_every_road_has_a_failing_bridge() -> None:
    low_north = bridge("N-02", NORTH, 0, red_line=1.0, grade=1, max_height_m=3.5)
    p = plan(NETWORK, [WEAK_SOUTH, STRONG_NORTH, low_north], STANDARD, NARROW, O, D, LANE, NO_PENALTY)
    assert p.route is None and not p.conditions.any
    reasons = {a.roads: p.explain(a) for a in p.alternatives}
    assert "限高 3.5 米，车货总高 4 米" in reasons[("N1",)]
    assert "S-01" in reasons[("S1",)]


def test_the_route_brings_its_bridges_conditions() -> None:
    guarded = bridge("N-01", NORTH, 1, 1.0, 3, escort_required=True, speed_limit_kmh=10, single_vehicle=True)
    p = plan(NETWORK, [WEAK_SOUTH, guarded], STANDARD, NARROW, O, D, LANE, NO_PENALTY)
    assert p.conditions.as_dict() == {
        "escort": True,
        "speed_limit_kmh": 10,
        "single_vehicle_bridges": ["N-01"],
    }
    assert p.as_dict()["route"]["bridges"][0]["passes"] is True


def test_width_restriction() -> None:
    narrow_north = bridge("N-01", NORTH, 1, 1.0, 1, max_width_m=3.5)
    wide = Size(width_m=4.2, height_m=4.0)
    p = plan(NETWORK, [narrow_north], LIGHT, wide, O, D, LANE, NO_PENALTY)
    assert p.route is not None and p.route.roads == ("S1",)
    assert "限宽 3.5 米，车货总宽 4.2 米" in p.explain(p.alternatives[0])


def test_origin_and_destination_must_differ() -> None:
    with pytest.raises(JiafaError) as e:
        plan(NETWORK, [], LIGHT, NARROW, O, (30.0001, 120.0001), LANE, NO_PENALTY)
    assert e.value.code is ErrorCode.PERMIT_INPUT_INVALID


def test_demo_network_routes_a_moderate_load_and_explains_the_rest() -> None:
    network, sites = Network.from_roads(roads()), demo.sites(BOOK, DAY)
    six_axles = Vehicle.of([60, 110, 110, 110, 110, 110], [3.2, 1.4, 6.0, 1.4, 1.4])
    net = roads()
    p = plan(network, sites, six_axles, NARROW, net["G60"].points[0], net["G92"].points[-1], LANE, PENALTY)
    assert p.route is not None and p.route.feasible and p.route.verdicts
    assert all(p.explain(a) for a in p.alternatives)


DEMO_NETWORK = Network.from_roads(roads())
DEMO_SITES = demo.sites(BOOK, DAY)
DEMO_NODES = sorted(DEMO_NETWORK.graph.nodes)


@settings(max_examples=40, deadline=None)
@given(
    ends=st.lists(st.sampled_from(DEMO_NODES), min_size=2, max_size=2, unique=True),
    line_kn=st.floats(min_value=40, max_value=160),
    lines=st.integers(min_value=1, max_value=10),
    width=st.floats(min_value=2.5, max_value=5.0),
)
def test_a_route_never_crosses_a_bridge_the_vehicle_fails(ends, line_kn, lines, width) -> None:
    vehicle = Vehicle.of([60, 110, *[line_kn] * lines], [3.2, 1.4, *[1.5] * (lines - 1)])
    p = plan(DEMO_NETWORK, DEMO_SITES, vehicle, Size(width, 4.0), ends[0], ends[1], LANE, PENALTY)
    if p.route is not None:
        assert p.route.nodes[0] == ends[0] and p.route.nodes[-1] == ends[1]
        for v in p.route.verdicts:
            assert all(r.governing_ratio <= r.span.red_line_ratio for r in v.results)
            assert v.bridge.max_width_m is None or width <= v.bridge.max_width_m
    else:
        assert p.alternatives and all(not a.feasible and p.explain(a) for a in p.alternatives)
