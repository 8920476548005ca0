"""Oversize-transport permits in the demo year: companies apply on working days for loads the permit office
sees (transformers, wind blades, tunnel-boring machines …) between places on the road network; the road
transport squadron's officer accepts each application, which the permits module checks at once; a few days
later the squadron leader decides — grants where a route passes, has a bridge engineer assess where none
does, and refuses what the engineer cannot pass. Every step through jiafa.permits.actions."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from jiafa.core.models import User
from jiafa.permits import actions, demo
from jiafa.permits.models import PermitApplication
from jiafa.permits.routing import Network
from jiafa.permits.states import PermitStatus
from jiafa.simulate import params
from jiafa.simulate.world import World

CARGO = ("变压器", "风电叶片", "盾构机", "桥梁钢箱梁", "大型挖掘机", "化工反应釜", "预制箱梁", "龙门吊构件")


@dataclass
class PermitDesk:
    world: World
    officer: User
    leader: User
    rng: random.Random
    working_days: int
    attempt: Callable[..., Any]  # takes a step as the year does: a refusal is counted, not forced
    waiting: list[tuple[date, int]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.places = sorted(Network.from_roads(self.world.roads).graph.nodes)

    def day(self, day: date) -> None:
        """The day's applications, and the decisions due today."""
        expected = params.PERMIT_APPLICATIONS * self.world.scale / self.working_days
        for _ in range(int(expected) + (self.rng.random() < expected - int(expected))):
            self._apply(day)
        due = [app for when, app in self.waiting if when <= day]
        self.waiting = [(when, app) for when, app in self.waiting if when > day]
        for app_id in due:
            self._decide(app_id, day)

    def _apply(self, day: date) -> None:
        company = self.rng.choice(self.world.companies)
        vehicle = demo.vehicle(self.rng)
        origin, destination = self.rng.sample(self.places, 2)
        start = day + timedelta(days=self.rng.randint(3, 12))
        data = actions.ApplicationInput(
            applicant_name=company.name,
            applicant_credit_code=company.id_no,
            contact_phone=company.phone,
            tractor_plate=f"浙F{self.rng.randint(10000, 99999)}",
            trailer_plate=f"浙F{self.rng.randint(1000, 9999)}挂",
            axle_loads_kn=[round(x, 1) for x in vehicle.axle_loads_kn],  # as a weighbridge slip gives them
            axle_spacings_m=[round(x, 2) for x in vehicle.axle_spacings_m],
            gross_kg=round(sum(vehicle.axle_loads_kn) / 9.80665 * 1000),
            height_m=self.rng.choice((4.0, 4.3, 4.5, 4.8)),
            width_m=self.rng.choice((2.55, 3.0, 3.5, 4.0)),
            length_m=round(self.rng.uniform(18, 40), 1),
            cargo=self.rng.choice(CARGO),
            origin_name=_place_name(self.world, origin),
            origin=origin,
            destination_name=_place_name(self.world, destination),
            destination=destination,
            travel_from=start,
            travel_to=start + timedelta(days=self.rng.randint(3, 15)),
        )
        app = self.attempt(actions.apply, data, actor=self.officer, unit=self.officer.org_unit, today=day)
        if app is not None:
            self.waiting.append((day + timedelta(days=self.rng.randint(1, 4)), app.pk))

    def _decide(self, app_id: int, day: date) -> None:
        app = PermitApplication.objects.get(pk=app_id)
        if app.status == PermitStatus.REFERRED:
            if self.rng.random() < params.PERMIT_ENGINEER_PASSES:
                opinion = "经验算，限速 5 公里/小时、居中行驶并全程护送，沿线桥梁可承受"
                conditions: dict[str, Any] = {"escort": True, "speed_limit_kmh": 5}
                if self.attempt(
                    actions.assess, app_id, actor=self.leader, opinion=opinion, conditions=conditions
                ):
                    self.attempt(actions.approve, app_id, actor=self.leader, today=day)
                return
            reasons = "沿线桥梁承载能力不足，且无满足条件的替代路线"
            self.attempt(actions.reject, app_id, actor=self.leader, reasons=reasons, today=day)
            return
        self.attempt(actions.approve, app_id, actor=self.leader, today=day)


def _place_name(world: World, point: tuple[float, float]) -> str:
    """The nearest county town and the road the point lies on."""
    town = min(world.towns, key=lambda t: (t[1] - point[0]) ** 2 + (t[2] - point[1]) ** 2)[0]
    road = next((r for r in world.roads.values() if point in r.points), None)
    return f"{town}{f'（{road.code}）' if road else ''}"
