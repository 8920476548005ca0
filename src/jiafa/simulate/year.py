"""A year in the demo world, lived day by day through the platform's own code:

- each night the stations' records of the day are written as a file in the record format and taken in with
  `jiafa overload ingest`, then `jiafa overload detect` turns them into findings;
- on working days officers review the findings (overload.review.confirm / dismiss), squadron leaders file
  and notify the non-site cases (review.file_non_site), and officers meet on-site violations and complaints
  and register them (cases.actions.register);
- before the year, the year before's fines that will never be paid are registered and taken through their
  steps on that year's days: a year that runs on has them reach the court (params.UNPAID_AT_START);
- every case then moves one step at a time through cases.actions.perform — defence, review, decision,
  service, payment (on time, late with the fee, or never: demand and court), transfer, closing — as the
  parties and officers of params.py behave.

The platform's clock shows the simulated day (clock.py), so every rule — deadlines, working days, windows
that must close before a step — applies as it would have that day. A step the law refuses is counted in the
summary, never forced.
"""

from __future__ import annotations

import heapq
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from jiafa.cases import actions
from jiafa.cases.models import Case, Outcome, Source
from jiafa.cases.states import CaseStatus
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import OrgUnit, User
from jiafa.law import catalogue, schedules
from jiafa.overload import followups, review
from jiafa.overload.models import Calibration, Finding, FollowUp, Vehicle, WimStation
from jiafa.permits.actions import load_demo_bridges
from jiafa.permits.models import PermitApplication
from jiafa.permits.states import PermitStatus
from jiafa.reports import figures
from jiafa.simulate import officers, params, waterway, wim
from jiafa.simulate.clock import Clock, simulated
from jiafa.simulate.people import BUREAU, SQUADRON_LOGINS
from jiafa.simulate.permits import PermitDesk
from jiafa.simulate.world import Owner, World

S = CaseStatus
ROAD_UNITS = ("330402", "330411", "330421", "330482", "330424", "330481", "330483")
WATER_UNIT, ROAD_TRANSPORT_UNIT = "330400-SY", "330400-DY"
WATER_CODES = ("SL-", "GK-", "ZT-")
COMPANY_CODES = ("WH-", "GK-", "ZT-")
PLATFORM_CODES = ("WY-04",)  # against a ride-hailing platform
NO_VEHICLE_CODES = ("CX-06", "WY-04")  # a company's or a platform's conduct, not one vehicle's
DISMISS_REASONS = (
    "车牌识别有误，经视频核对非同一车辆",
    "该车持有效超限运输许可",
    "称重数据异常，经核查为设备故障",
)
RETRY_DAYS = 3
MAX_TRIES = 40


class Rare:
    """Rare conduct (a crime handed to the police, a fine never paid) drawn over the year's cases rather than
    case by case: each case adds its chance to a running sum, begun at a random point, and the case that
    carries the sum past a whole number is the one. A year then has the number its cases make likely, give or
    take one, where a handful drawn case by case would vary by its square root (16 ± 4)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.sums: dict[str, float] = {}

    def __call__(self, what: str, chance: float) -> bool:
        total = self.sums.get(what)
        total = (self.rng.random() if total is None else total) + chance
        self.sums[what] = total % 1
        return total >= 1


@dataclass
class Plan:
    """How the parties of one case behave, drawn when it begins."""

    defence: bool = False
    pays: str = "on_time"  # on_time / late / never
    late_by: int = 0  # days past the deadline, for those who pay late
    exemption: bool = False
    transfer: bool = False
    handover: str = ""  # the authority the item belongs to (移送其他行政机关)
    proposal: officers.Proposal | None = None
    facts: dict[str, Any] = field(default_factory=dict)  # what the tier rests on, stated at conclusion
    recorded: bool = False
    defended: bool = False
    tries: int = 0
    case: Case | None = None  # as its officers last left it (only they take its steps): read once


@dataclass
class Tally:
    refused: Counter[str] = field(default_factory=Counter)
    steps: int = 0
    files: int = 0
    seconds: dict[str, float] = field(default_factory=dict)  # wall-clock time per part of the day

    @contextmanager
    def timed(self, part: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[part] = self.seconds.get(part, 0.0) + time.perf_counter() - start


class Year:
    def __init__(self, world: World, year: int, *, progress: Callable[[str, int, int], None] | None = None):
        self.world, self.year = world, year
        self.rng = random.Random(world.seed * 7919 + year)
        self.rare = Rare(self.rng)
        self.clock = Clock(datetime(year, 1, 1, tzinfo=timezone.get_default_timezone()))
        self.queue: list[tuple[date, int, int]] = []
        self.plans: dict[int, Plan] = {}
        self.seq = 0
        self.tally = Tally()
        self.progress = progress or (lambda what, done, total: None)
        self.folder = Path(settings.DATA_DIR) / "demo" / "wim"
        self.calendar = schedules.calendar()
        self.days = [
            date(year, 1, 1) + timedelta(days=k)
            for k in range((date(year + 1, 1, 1) - date(year, 1, 1)).days)
        ]
        self.working_days = sum(self.calendar.is_working_day(d) for d in self.days)
        self.items = {i.code: i for i in catalogue.packaged_items()}
        self.fleet_of: dict[str, list[str]] = {}
        for t in world.trucks:
            self.fleet_of.setdefault(t.owner.id_no, []).append(t.plate)
        # whom a follow-up names: a company by its subject key, a truck by its plate
        self.subjects = (
            {f"company:{c.id_no}": c for c in world.companies},
            {(t.plate, t.plate_color): t for t in world.trucks},
        )
        self.water = waterway.WaterYear(self)  # waterways, vessels and their AIS (simulate/waterway.py)

    # ── Setting up ────────────────────────────────────────────────────────────────────────────────────

    def register_world(self) -> None:
        """The stations with their certificates, the road-transport register of the world's trucks, and the
        key control bridges of the oversize routes (the permits module's demo register)."""
        load_demo_bridges(OrgUnit.objects.get(code=BUREAU), seed=self.world.seed)
        self.water.register()
        units = {u.code: u for u in OrgUnit.objects.filter(code__in=ROAD_UNITS)}
        start = date(self.year, 1, 1)
        code, at, days = params.LAPSED_CALIBRATION
        for k, s in enumerate(self.world.sites):
            station = WimStation.objects.create(
                code=s.code,
                name=s.name,
                org_unit=units[s.unit],
                kind=s.kind,
                road=s.road,
                direction=s.direction,
                stake=s.stake,
                lat=s.lat,
                lon=s.lon,
                lanes=3 if s.kind in ("border", "hub") else 2,
                speed_min_kmh=5,
                speed_max_kmh=120,
                published_on=start - timedelta(days=200 + 10 * k),
            )
            spans = _certificates(start - timedelta(days=90 + 11 * k), until=timezone.localdate())
            if s.code == code:  # its certificate lapses mid-year and the renewal comes late
                lapse = start + timedelta(days=round(365 * at))
                spans = [(a, min(b, lapse - timedelta(days=1))) for a, b in spans if a < lapse]
                spans += _certificates(lapse + timedelta(days=days), until=timezone.localdate())
            for n, (valid_from, valid_to) in enumerate(spans, start=1):
                Calibration.objects.create(
                    station=station,
                    certificate_no=f"浙计检{valid_from.year}-{k + 1:03d}-{n}",
                    issued_by="浙江省计量科学研究院",
                    valid_from=valid_from,
                    valid_to=valid_to,
                )
        Vehicle.objects.bulk_create(
            [
                Vehicle(
                    plate=t.plate,
                    plate_color=t.plate_color,
                    owner_kind=t.owner.kind,
                    owner_name=t.owner.name,
                    owner_id_no=t.owner.id_no,
                    owner_address=t.owner.address,
                    owner_phone=t.owner.phone,
                    axles=t.axles,
                    combination=t.combination,
                    registered_region=t.owner.region,
                )
                for t in self.world.trucks
            ],
            batch_size=2000,
        )

    # ── The year ──────────────────────────────────────────────────────────────────────────────────────

    def run(self) -> Tally:
        self.staff = _staff()
        self.unit_codes = dict(OrgUnit.objects.values_list("id", "code"))
        days = self.days
        self.trucks = wim.fleet(self.world, days[0])
        desk = self.staff[ROAD_TRANSPORT_UNIT]
        self.permits = PermitDesk(
            self.world, desk.officers[0], desk.leader, self.rng, self.working_days, attempt=self._try
        )
        self.folder.mkdir(parents=True, exist_ok=True)
        with simulated(self.clock):
            timed = self.tally.timed
            with timed("cases"):
                self._carried_over()
            for k, day in enumerate(days):
                with timed("night"):
                    self._night(day - timedelta(days=1))
                with timed("waterway"):
                    self.water.night(day - timedelta(days=1))
                if self.calendar.is_working_day(day):
                    self.clock.at(day, 9)
                    with timed("review"):
                        self._review(day)
                    with timed("waterway"):
                        self.water.check(day)
                    if day.weekday() == 0:
                        with timed("follow_ups"):
                            self._follow_ups(day)
                    with timed("on_site"):
                        self._on_site(day)
                    with timed("permits"):
                        self.permits.day(day)
                    with timed("cases"):
                        self._advance_due(day)
                self.progress("year", k + 1, len(days))
            with timed("night"):
                self._night(days[-1])  # the year's last day, taken in on New Year's morning
            with timed("waterway"):
                self.water.night(days[-1])
        return self.tally

    def _night(self, day: date) -> None:
        """The stations' file of `day`, taken in early the next morning, and detection over it."""
        if day.year != self.year:
            return
        factor = wim.traffic_factor(day, self.calendar.is_working_day(day))
        path = self.folder / f"{day.isoformat()}.parquet"
        wim.passages(self.world, self.trucks, day, factor).write_parquet(path)
        self.clock.at(day + timedelta(days=1), 5, 30)
        call_command("overload", "ingest", str(path), "--json", stdout=_Null())
        call_command("overload", "detect", "--json", stdout=_Null())
        self.tally.files += 1

    def _carried_over(self) -> None:
        """The year opens with the fines of the year before that will never be paid (params.UNPAID_AT_START):
        each is registered on a working day of its second half and goes through the same steps as any case,
        on the days of that year, so that this year it reaches the court once its review and lawsuit periods
        have passed. The year's own figures count none of it but the court application."""
        first = date(self.year - 1, *params.UNPAID_FROM)
        days = [first + timedelta(days=k) for k in range((date(self.year, 1, 1) - first).days)]
        working = [d for d in days if self.calendar.is_working_day(d)]
        count = round(params.UNPAID_AT_START * self.world.scale)
        registered = Counter(self.rng.choice(working[: -params.UNPAID_LAST_DAYS]) for _ in range(count))
        for day in working if count else ():
            self.clock.at(day, 9)
            for _ in range(registered[day]):  # drawn again where the penalty drawn has no fine
                any(self._new_case("CX-01", day, unpaid=True) for _ in range(10))
            self._advance_due(day)

    # ── Non-site: review and filing ───────────────────────────────────────────────────────────────────

    def _review(self, day: date) -> None:
        cutoff = self.clock.moment - timedelta(days=self.rng.randint(*params.REVIEW_DELAY_DAYS))
        for unit in ROAD_UNITS:
            team = self.staff[unit]
            pending = Finding.objects.filter(
                status=Finding.Status.PENDING, org_unit__code=unit, passed_at__lte=cutoff
            ).order_by("passed_at")
            for n, finding_id in enumerate(pending.values_list("pk", flat=True)):
                officer = team.officers[n % len(team.officers)]
                if self.rng.random() < params.DISMISS_SHARE:
                    reason = self.rng.choice(DISMISS_REASONS)
                    self._try(review.dismiss, finding_id, actor=officer, reason=reason)
                else:
                    self._try(review.confirm, finding_id, actor=officer)
            waiting = list(review.registered_non_site(team.leader).values_list("pk", flat=True))
            for start in range(0, len(waiting), review.MAX_BULK):
                chunk = waiting[start : start + review.MAX_BULK]
                for result in review.file_non_site(chunk, actor=team.leader, served_on=day):
                    self.clock.tick()
                    if result.ok:
                        self._plan(result.case_id, day)
                    else:
                        self.tally.refused[f"file_non_site: {result.message[:60]}"] += 1

    # ── On-site inspections and complaints ────────────────────────────────────────────────────────────

    def _on_site(self, day: date) -> None:
        for code, per_year in params.ON_SITE.items():
            expected = per_year * self.world.scale / self.working_days
            count = int(expected) + (self.rng.random() < expected - int(expected))
            for _ in range(count):
                self._new_case(code, day)

    def _new_case(
        self,
        code: str,
        day: date,
        *,
        unit: str | None = None,
        owner: Owner | None = None,
        plate: str = "",
        facts: str = "",
        unpaid: bool = False,
    ) -> int | None:
        """An officer meets a violation (or a follow-up calls for one) and registers the case."""
        item = self.items[code]
        waterway = code.startswith(WATER_CODES)
        unit = unit or (WATER_UNIT if waterway else self.rng.choice((*ROAD_UNITS, ROAD_TRANSPORT_UNIT)))
        team = self.staff[unit]
        parties = {str(p) for p in item.parties}
        truck = self.rng.choice(self.world.trucks)
        company_item = code.startswith(COMPANY_CODES) or "person" not in parties
        if owner is None and code in PLATFORM_CODES:
            owner = self.rng.choice(self.world.platforms)
        if owner is None and "organisation" in parties and company_item:
            owner = self.rng.choice(self.world.companies)
        if owner is None:
            owner = truck.owner if truck.owner.kind == "person" else self.rng.choice(self.world.drivers)
        drawn = self._plan_for(code, owner.kind, unpaid=unpaid)
        if drawn is None:
            return None
        plan, exemption_facts = drawn
        occurred = self.clock.moment - timedelta(minutes=self.rng.randint(20, 600))
        source = Source.COMPLAINT if self.rng.random() < params.COMPLAINT_SHARE else Source.INSPECTION
        case = self._try(
            actions.register,
            actor=team.officers[0],
            source=source,
            violation_code=code,
            occurred_at=occurred,
            # a company's or a platform's conduct took place where it is run from
            place=owner.address if code in NO_VEHICLE_CODES else self._place(waterway),
            facts=facts or f"{item.name}。",
            party_kind=owner.kind,
            party_name=owner.name,
            party_id_no=owner.id_no,
            party_address=owner.address,
            party_phone=owner.phone,
            vehicle_plate="" if waterway or code in NO_VEHICLE_CODES else plate or truck.plate,
            vessel_name=f"浙嘉兴货{self.rng.randint(1000, 9999)}" if waterway else "",
            officers=team.officers[:2],
            facts_for_tier=exemption_facts or (plan.proposal.facts if plan.proposal else {}),
        )
        if case is None:
            return None
        self.plans[case.pk] = plan
        self._schedule(case.pk, day)
        return int(case.pk)

    def _plan_for(
        self, code: str, party_kind: str, *, unpaid: bool = False
    ) -> tuple[Plan, dict[str, Any] | None] | None:
        """How a case of this violation will go: the party's conduct, a first-violation exemption, a transfer,
        or the penalty the officers will propose (with the facts it rests on). An `unpaid` case is a fine its
        party will never pay (None where the penalty drawn has none)."""
        item = self.items[code]
        plan = Plan(pays="never") if unpaid else self._party()
        plan.exemption = not unpaid and self.rng.random() < params.FIRST_VIOLATION.get(code, 0.0)
        plan.transfer = not unpaid and self.rare(
            f"{code} transferred", params.CRIMINAL_TRANSFER.get(code, 0.0)
        )
        plan.handover = item.handover_to
        exemption_facts = officers.exemption(item, self.rng) if plan.exemption else None
        plan.exemption = exemption_facts is not None
        if not (plan.exemption or plan.transfer or plan.handover):
            chance = params.SERIOUS.get(code)
            serious = None if chance is None else self.rare(f"{code} serious", chance)
            plan.proposal = officers.penalty(item, party_kind, self.rng, serious)
            if plan.proposal is None:
                self.tally.refused[f"{code}: 无可适用的处罚阶次"] += 1
                return None
            if unpaid and not plan.proposal.fine_yuan:  # a warning: nothing to pay
                return None
        plan.facts = exemption_facts or (plan.proposal.facts if plan.proposal else {})
        return plan, exemption_facts

    def _begin_case(self, case_id: int, code: str, party_kind: str, day: date) -> None:
        """A case registered elsewhere (a confirmed waterway finding) goes on through the case steps."""
        drawn = self._plan_for(code, party_kind)
        if drawn is not None:
            self.plans[case_id] = drawn[0]
            self._schedule(case_id, day)

    # ── Follow-ups of repeated overloading (一超四罚) and reports to registration regions ────────────────

    def _follow_ups(self, day: date) -> None:
        """The week's follow-ups: a case against the company or the truck's owner where the law calls for
        one, the report to the registration region otherwise; then the penalty deters the party's trucks."""
        call_command("followups", "refresh", "--date", day.isoformat(), "--json", stdout=_Null())
        bureau = self.staff["bureau"].leader
        companies, trucks = self.subjects
        for followup in FollowUp.objects.filter(status=FollowUp.Status.OPEN).select_related("vehicle"):
            case_id, owner, plate, code = None, None, "", ""
            if followup.kind == FollowUp.Kind.COMPANY_SUSPENSION and followup.subject_key in companies:
                owner, code = companies[followup.subject_key], "CX-06"
                facts = f"该企业一年内违法超限运输的货运车辆达 {followup.count} 辆，超过规定比例。"
            elif followup.kind == FollowUp.Kind.VEHICLE_REVOCATION and followup.vehicle is not None:
                truck = trucks.get((followup.vehicle.plate, followup.vehicle.plate_color))
                if truck is not None:
                    owner, plate, code = truck.owner, truck.plate, "CX-04"
                    facts = f"{truck.plate} 一年内违法超限运输 {followup.count} 次。"
            if owner is not None:
                case_id = self._new_case(
                    code, day, unit=ROAD_TRANSPORT_UNIT, owner=owner, plate=plate, facts=facts
                )
                deterred = [plate] if plate else self.fleet_of[owner.id_no]
                self.trucks = wim.reformed(self.trucks, deterred, self.rng)
            note = f"已登记案件 #{case_id}" if case_id else "已抄告车辆登记地交通运输主管部门"
            self._try(followups.complete, followup.pk, actor=bureau, note=note)

    def _place(self, waterway: bool) -> str:
        if waterway:
            return self.rng.choice(
                ("京杭运河嘉兴段", "杭申线嘉兴段", "长湖申线嘉兴段", "乍嘉苏线", "湖嘉申线")
            )
        road = self.rng.choice(list(self.world.roads.values()))
        return f"{road.code} {road.name} K{self.rng.randint(1, 90)}"

    def _payer(self) -> str:
        if self.rare("never pays", 1 - params.PAY_ON_TIME - params.PAY_LATE):
            return "never"
        return (
            "on_time"
            if self.rng.random() * (params.PAY_ON_TIME + params.PAY_LATE) < params.PAY_ON_TIME
            else "late"
        )

    def _plan(self, case_id: int, day: date) -> None:
        self.plans[case_id] = self._party()
        self._schedule(case_id, day)

    def _party(self) -> Plan:
        """How a party will behave: defend or not, pay on time, late or never."""
        return Plan(
            defence=self.rng.random() < params.DEFENCE_SHARE,
            pays=self._payer(),
            late_by=self.rng.randint(*params.LATE_PAY_DAYS),
        )

    # ── Every case, one step at a time ────────────────────────────────────────────────────────────────

    def _schedule(self, case_id: int, after: date, days: tuple[int, int] = params.STEP_DELAY_DAYS) -> None:
        self.seq += 1
        heapq.heappush(self.queue, (after + timedelta(days=self.rng.randint(*days)), self.seq, case_id))

    def _advance_due(self, day: date) -> None:
        while self.queue and self.queue[0][0] <= day:
            _, _, case_id = heapq.heappop(self.queue)
            self.clock.tick()
            self._advance(case_id, day)

    def _advance(self, case_id: int, day: date) -> None:
        plan = self.plans[case_id]
        case = plan.case = plan.case or Case.objects.get(pk=case_id)
        team = self.staff[self.unit_codes[case.org_unit_id]]
        step = self._next_step(case, plan, team, day)
        if step is None:
            return
        action, actor, payload, later = step
        try:
            plan.case = actions.perform(action, case_id, payload, actor=actor)
            self.tally.steps += 1
            plan.tries = 0
        except JiafaError as e:
            plan.tries += 1
            if e.code is ErrorCode.STEP_NOT_READY and plan.tries < MAX_TRIES:
                self._schedule(case_id, day, (RETRY_DAYS, RETRY_DAYS + 4))
            else:
                self.tally.refused[f"{action}: {e.message[:60]}"] += 1
            return
        if later is None:
            plan.case = None
        else:
            self._schedule(case_id, day, later)

    def _next_step(
        self, case: Case, plan: Plan, team: _Team, day: date
    ) -> tuple[str, User, dict[str, Any], tuple[int, int] | None] | None:
        """The step the case's officers take next, with its form, and when to look again (None: never)."""
        later = params.STEP_DELAY_DAYS
        officer, leader = team.officers[0], team.leader
        status = case.status
        if status == S.REGISTERED:
            return "file", leader, {"filed_on": day}, later
        if status == S.INVESTIGATING:
            if plan.transfer:
                outcome = {
                    "outcome": Outcome.CRIMINAL_TRANSFER,
                    "to": "嘉兴市公安局",
                    "reason": "涉嫌犯罪，依法移送公安机关",
                }
                return "transfer", leader, {**outcome, "transferred_on": day}, later
            if plan.handover:
                outcome = {
                    "outcome": Outcome.HANDOVER,
                    "to": plan.handover,
                    "reason": "不属于本机关管辖，依法移送",
                }
                return "transfer", leader, {**outcome, "transferred_on": day}, later
            if not plan.recorded:
                plan.recorded = True
                return (
                    "add_record",
                    officer,
                    {"kind": "on_site_record", "made_on": day, "content": f"现场检查：{case.facts}"},
                    (0, 1),
                )
            if plan.exemption:
                return (
                    "conclude",
                    officer,
                    {
                        "outcome": Outcome.FIRST_VIOLATION_EXEMPTION,
                        "kinds": [],
                        "facts_for_tier": plan.facts,
                        "report": "初次违法且危害后果轻微并及时改正",
                    },
                    later,
                )
            assert plan.proposal is not None
            proposal = plan.proposal
            report = f"违法事实清楚，证据确凿，拟按“{proposal.tier}”阶次处罚"
            return (
                "conclude",
                officer,
                {
                    "outcome": Outcome.PENALTY,
                    "kinds": proposal.kinds,
                    "fine_yuan": proposal.fine_yuan,
                    "facts_for_tier": plan.facts,
                    "report": report,
                },
                later,
            )
        if status == S.PROPOSED:
            if case.proposed_outcome == Outcome.FIRST_VIOLATION_EXEMPTION:
                decision = {
                    "outcome": Outcome.FIRST_VIOLATION_EXEMPTION,
                    "kinds": [],
                    "commitment_letter": True,
                }
                return "decide", leader, {**decision, "decided_on": day}, later
            return "notify", officer, {"served_on": day}, later
        if status == S.NOTIFIED:
            if plan.defence and not plan.defended:
                plan.defended = True
                return (
                    "record_defence",
                    officer,
                    {"made_on": day, "statement": "当事人对违法事实无异议，请求从轻处罚。"},
                    later,
                )
            if case.defence_until and day <= case.defence_until:
                self._schedule(case.pk, case.defence_until, (1, 3))
                return None
            return "proceed", officer, {}, later
        if status == S.REVIEWING:
            return (
                "legal_review",
                self.staff["reviewer"].leader,
                {"opinion": "事实清楚，证据确凿，适用依据正确，程序合法，处罚适当。"},
                later,
            )
        if status == S.DISCUSSING:
            discussion = {
                "held_on": day,
                "participants": "局长、分管副局长、法规科长、执法队长",
                "conclusion": "同意承办机构的处理意见",
            }
            return "collective_discussion", self.staff["bureau"].leader, discussion, later
        if status == S.PENDING_DECISION:
            decision = {
                "outcome": case.proposed_outcome,
                "kinds": case.proposed_kinds,
                "fine_yuan": case.proposed_fine_yuan or 0,
            }
            return "decide", leader, {**decision, "decided_on": day}, later
        if status == S.DECIDED:
            return (
                "serve",
                officer,
                {"served_on": day, "method": self.rng.choice(("直接送达", "邮寄送达", "电子送达"))},
                (0, 1),
            )
        if status == S.EXECUTING:
            return self._execution(case, plan, team, day)
        if status == S.DEMANDED:
            if plan.pays != "never":
                return self._payment(case, officer, day)
            earliest = actions.remedies_expire(case) + timedelta(days=1)
            if day < earliest:  # review and lawsuit periods first (行政强制法 Art. 53)
                self._schedule(case.pk, earliest, (0, 3))
                return None
            return "apply_court", leader, {"applied_on": day}, None
        if status == S.TRANSFERRED:
            return "close", leader, {"closed_on": day, "summary": f"已移送{case.transfer_to}"}, None
        return None

    def _execution(
        self, case: Case, plan: Plan, team: _Team, day: date
    ) -> tuple[str, User, dict[str, Any], tuple[int, int] | None] | None:
        officer, leader = team.officers[0], team.leader
        if not case.fine_outstanding_yuan:
            return "close", leader, {"closed_on": day, "summary": "处罚决定已执行完毕"}, None
        due = case.payment_due
        if plan.pays == "on_time":
            return self._payment(case, officer, day)
        if plan.pays == "late":
            if due and day <= due + timedelta(days=plan.late_by):
                self._schedule(case.pk, day, (7, 14))
                return None
            return self._payment(case, officer, day)
        if due and day > due + timedelta(days=5):
            return "demand", officer, {"served_on": day}, (20, 30)
        self._schedule(case.pk, due or day, (6, 10))
        return None

    def _payment(
        self, case: Case, officer: User, day: date
    ) -> tuple[str, User, dict[str, Any], tuple[int, int] | None]:
        fine, fee = actions.owed(case, day)
        receipt = f"浙非税{day:%Y%m%d}{case.pk:06d}"
        return (
            "pay",
            officer,
            {"paid_on": day, "fine_yuan": fine, "late_fee_yuan": fee, "receipt_no": receipt},
            (1, 5),
        )

    def _try(self, call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """An action taken as a person would: a refusal is counted (the summary shows them), not forced."""
        self.clock.tick()
        try:
            result = call(*args, **kwargs)
        except JiafaError as e:
            self.tally.refused[e.message[:70]] += 1
            return None
        self.tally.steps += 1
        return True if result is None else result  # a step that returns nothing still happened


def _certificates(first: date, *, until: date) -> list[tuple[date, date]]:
    """Yearly calibration certificates from `first`, renewed on time up to a year past `until`: the stations
    stay certified to this day, as a bureau keeps them."""
    spans, start = [], first
    while start <= until + timedelta(days=365):
        spans.append((start, start + timedelta(days=364)))
        start += timedelta(days=365)
    return spans


@dataclass
class _Team:
    leader: User
    officers: list[User]


def _staff() -> dict[str, _Team]:
    users = {u.username: u for u in User.objects.select_related("org_unit")}
    teams = {
        code: _Team(users[f"{login}_leader"], [users[f"{login}_officer1"], users[f"{login}_officer2"]])
        for code, login in SQUADRON_LOGINS.items()
    }
    teams["reviewer"] = _Team(users["fazhi"], [])
    teams["bureau"] = _Team(users["leader"], [])
    return teams


class _Null:
    def write(self, *_: Any) -> None:
        pass

    def flush(self) -> None:
        pass


# The figures the demo prints: the bureau report's, as the reports app computes them (reports.figures).
REPORTED = (
    "findings",
    "confirmed",
    "dismissed",
    "penalty",
    "non_site",
    "non_site_share",
    "large_fine",
    "suspension_order",
    "court_application",
    "criminal_transfer",
    "first_violation_exemption",
)


def summary(year: int) -> dict[str, Any]:
    """What the year produced: the figures of the bureau's report for the whole tree, and the cases
    registered in the year and still open at its end."""
    period = figures.Period.year(year)
    counted = figures.headline(figures.scope_of(None), period, today=period.end)
    registered = Case.objects.filter(registered_at__date__range=(period.start, period.end))
    permits = PermitApplication.objects.filter(accepted_on__range=(period.start, period.end))
    return {
        **{key: counted[key] for key in REPORTED},
        **waterway.summary(year),
        "permit_applications": permits.count(),
        "permits_granted": permits.filter(number__gt="").count(),
        "permits_refused": permits.filter(status=PermitStatus.REJECTED).count(),
        "cases_registered": registered.count(),
        "open_cases": registered.exclude(status__in=[S.CLOSED, S.ARCHIVED, S.DECLINED]).count(),
    }
