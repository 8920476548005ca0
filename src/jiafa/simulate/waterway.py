"""The demo year on the water, through the waterway module's own code:

- the registers (waterways, zones, checkpoints, vessels with their certificates, muck permits) are loaded
  from the demo waters (waters.py) before the year begins;
- each night the day's AIS is written as NMEA 0183 sentences (ais.py) and the checkpoints' records as their
  CSV, both taken in with `jiafa waterway ingest`; each Monday morning `jiafa waterway detect` judges the
  days received since its last run (params.DETECT_EVERY_WEEKS);
- on working days the water transport squadron's officers check the findings detected a few days before
  (waterway.actions.confirm / hand_over / dismiss). A check finds out what really happened (the voyages'
  episodes): a violation proven becomes a case — which then runs through the year's case steps like any
  other — or, for muck, is handed over; an innocent stop, a misread or a duplicate is set aside with its
  reason. A vessel caught stops doing what it was caught at.
"""

from __future__ import annotations

import io
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from jiafa.cases import actions as case_actions
from jiafa.cases.models import Case, Source
from jiafa.cases.states import CaseStatus
from jiafa.core.models import OrgUnit
from jiafa.simulate import ais, params, voyages, waters
from jiafa.waterway import actions, pipeline
from jiafa.waterway.models import Checkpoint, Finding, MuckPermit, Vessel, VesselCertificate, Waterway, Zone
from jiafa.waterway.rules import Rule

# The episodes that can stand behind a finding of each rule.
GENUINE = {
    Rule.ILLEGAL_BERTHING: ("berthing",),
    Rule.UNLICENSED_DOCK: ("unlicensed",),
    Rule.AIS_DARK: ("dark",),
    Rule.MUCK_NO_PERMIT: ("no_permit",),
    Rule.MUCK_OUTSIDE_DUMPING_ZONE: ("dump",),
    Rule.MUCK_NEVER_DUMPED: ("dump",),
}
INNOCENT = {
    Rule.ILLEGAL_BERTHING: ("waiting",),
    Rule.MUCK_OUTSIDE_DUMPING_ZONE: ("waiting", "berthing"),
    Rule.AIS_DARK: ("misread",),
    Rule.NAME_MISMATCH: ("cloned", "misread"),
}
# What the officers write.
CHECK_NOTES = {
    Rule.AIS_DARK: "经调取卡口照片与 AIS 轨迹核查，该船通过卡口前后关闭船载 AIS，船长对事实无异议",
    Rule.ILLEGAL_BERTHING: "经现场核查，该船在禁止停泊水域停泊，已责令立即驶离",
    Rule.UNLICENSED_DOCK: "经现场核查，该船在未取得港口经营许可的码头装载渣土",
}
HANDOVER = {  # muck: the comprehensive enforcement bureau; dumping into the water also concerns ecology
    Rule.MUCK_NO_PERMIT: ("嘉兴市综合行政执法局", "经核查，该渣土船渣土运输处置核准已过期，仍在装卸渣土"),
    Rule.MUCK_NEVER_DUMPED: ("嘉兴市综合行政执法局", "经核查，该渣土船装载后未到指定消纳点卸载，去向不明"),
    Rule.MUCK_OUTSIDE_DUMPING_ZONE: ("嘉兴市生态环境局", "经核查，该渣土船在指定消纳点以外水域倾倒渣土"),
}
DISMISS = {  # why a finding is set aside, by what the check found
    "waiting": "经核查系正常避让待闸，未停泊作业",
    "misread": "经核查船名与登记一致，系卡口船名识别有误",
    "cloned": "经核查本船停航在港，系他船冒用本船识别码和船名，已对冒用船舶另行处理",
    "berthing": "经核查该船在禁停区停泊，未卸载渣土（停泊问题另行处理）",
    "duplicate": "与已核查处理的线索系同一违法行为，不再重复处理",
    "unproven": "经核查未能取得违法证据，不予认定",
    Rule.NAME_MISMATCH: "经核查系同一时段经过卡口的他船，本船船名与登记一致",
    Rule.SHARED_MMSI: "经核查系定位漂移，未发现一码多船",
    Rule.MUCK_NEVER_DUMPED: "经核查该船已在指定消纳点卸载（有消纳点签收记录），系 AIS 信号缺失",
    Rule.MUCK_OUTSIDE_DUMPING_ZONE: "经核查该船停泊期间未卸载渣土",
    "default": "经核查未发现违法行为",
}
DECLINE_SL01 = "违法事实成立，已责令改正；《内河交通安全管理条例》第六十九条对此未设罚款，不予立案"
SLACK = timedelta(hours=2)


@dataclass
class Tally:
    files: int = 0
    positions: int = 0
    passages: int = 0
    trips: int = 0
    detections: int = 0
    checks: Counter[str] = field(default_factory=Counter)


class WaterYear:
    """The year's waterway part; `year` is the running simulate.year.Year (its clock, staff, case plans)."""

    def __init__(self, year: Any) -> None:
        self.year = year
        # certificates and permits kept renewed to this day, as a bureau keeps its registers
        self.waters = waters.build(year.world.seed, year.world.scale, year.year, until=timezone.localdate())
        self.state = voyages.state(self.waters)
        self.rng = random.Random(year.world.seed * 104_729 + year.year)
        self.folder = Path(settings.DATA_DIR) / "demo" / "waterway"
        self.due: list[tuple[date, list[int]]] = []
        self.settled: dict[str, str] = {}  # episode key → how its first finding was dealt with
        self.last_finding = 0
        self.tally = Tally()

    # ── The registers ─────────────────────────────────────────────────────────────────────────────────

    @transaction.atomic
    def register(self) -> None:
        w = self.waters
        unit = OrgUnit.objects.get(code=waters.UNIT)
        Waterway.objects.bulk_create(
            [Waterway(code=x.code, name=x.name, grade=x.grade, geometry=x.wkt) for x in w.waterways.values()]
        )
        names = {x.code: x.name for x in w.waterways.values()}
        Checkpoint.objects.bulk_create(
            [
                Checkpoint(
                    code=c.code,
                    name=c.name,
                    waterway=names[c.waterway],
                    org_unit=unit,
                    lat=c.node[0],
                    lon=c.node[1],
                )
                for c in w.checkpoints
            ]
        )
        Zone.objects.bulk_create(
            [
                Zone(
                    code=z.code,
                    name=z.name,
                    kind=z.register_kind,
                    licensed=z.licensed,
                    geometry=z.wkt,
                    org_unit=unit,
                )
                for z in w.zones
            ]
        )
        Vessel.objects.bulk_create(
            [
                Vessel(
                    mmsi=v.mmsi,
                    name=v.name,
                    kind=v.kind,
                    owner_kind=v.owner.kind,
                    owner_name=v.owner.name,
                    owner_id_no=v.owner.id_no,
                    owner_phone=v.owner.phone,
                    org_unit=unit,
                )
                for v in w.vessels
            ],
            batch_size=2000,
        )
        vessels = dict(Vessel.objects.values_list("mmsi", "pk"))
        VesselCertificate.objects.bulk_create(
            [
                VesselCertificate(
                    vessel_id=vessels[v.mmsi],
                    kind=c.kind,
                    number=c.number,
                    valid_from=c.valid_from,
                    valid_to=c.valid_to,
                )
                for v in w.vessels
                for c in v.certificates
            ],
            batch_size=2000,
        )
        zones = dict(Zone.objects.values_list("code", "pk"))
        MuckPermit.objects.bulk_create(
            [
                MuckPermit(
                    number=p.number,
                    vessel_id=vessels[p.mmsi],
                    loading_zone_id=zones[p.loading],
                    dumping_zone_id=zones[p.dumping],
                    valid_from=p.valid_from,
                    valid_to=p.valid_to,
                    issued_by="嘉兴市综合行政执法局",
                )
                for p in w.permits
            ]
        )

    # ── Each night: the day's files, taken in; detection once a week ──────────────────────────────────

    def night(self, day: date) -> None:
        """The receivers' and cameras' files of `day`, taken in early the next morning (the clock stands
        there); detection on a Monday morning every DETECT_EVERY_WEEKS weeks, and on New Year's morning."""
        if day.year != self.year.year:
            return
        working = self.year.calendar.is_working_day(day)
        shore = voyages.day(self.waters, self.state, day, working, self.waters.seed)
        ais_file = self.folder / "ais" / f"{day.isoformat()}.nmea"
        camera_file = self.folder / "checkpoints" / f"{day.isoformat()}.csv"
        ais_file.parent.mkdir(parents=True, exist_ok=True)
        camera_file.parent.mkdir(parents=True, exist_ok=True)
        files = [camera_file]
        if shore.positions.height:  # a receiver that heard nothing writes no file
            ais_file.write_bytes(ais.file_bytes(ais.positions(shore.positions), ais.static(shore.static)))
            files.insert(0, ais_file)
        shore.passages.write_csv(camera_file)
        out = io.StringIO()
        call_command("waterway", "ingest", *map(str, files), "--json", stdout=out)
        taken = json.loads(out.getvalue())
        self.tally.files += len(files)
        self.tally.positions += taken["positions"]
        self.tally.passages += taken["passages"]
        self.tally.trips += shore.trips
        following = day + timedelta(days=1)
        week = (following - date(self.year.year, 1, 1)).days // 7
        every = params.DETECT_EVERY_WEEKS
        if (following.weekday() == 0 and week % every == every - 1) or following.year != self.year.year:
            self.detect(following)

    def detect(self, morning: date) -> None:
        call_command("waterway", "detect", "--json", stdout=io.StringIO())
        self.tally.detections += 1
        new = list(
            Finding.objects.filter(pk__gt=self.last_finding).order_by("pk").values_list("pk", flat=True)
        )
        if new:
            self.last_finding = new[-1]
            self.due.append(
                (self._working_days_after(morning, self.rng.randint(*params.CHECK_DELAY_DAYS)), new)
            )

    def _working_days_after(self, day: date, n: int) -> date:
        while n > 0:
            day += timedelta(days=1)
            n -= self.year.calendar.is_working_day(day)
        return day

    # ── Working days: the checks ──────────────────────────────────────────────────────────────────────

    def check(self, day: date) -> None:
        due = [ids for when, ids in self.due if when <= day]
        self.due = [(when, ids) for when, ids in self.due if when > day]
        team = self.year.staff[waters.UNIT]
        n = 0
        for ids in due:
            for finding in Finding.objects.filter(pk__in=ids, status=Finding.Status.PENDING).order_by(
                "start", "pk"
            ):
                self._check(finding, team.officers[n % len(team.officers)], team.leader, day)
                n += 1

    def _check(self, finding: Finding, officer: Any, leader: Any, day: date) -> None:
        rule = Rule(finding.rule)
        found = self._episode(finding, GENUINE.get(rule, ()))
        if found is not None and found.key in self.settled:
            self._dismiss(finding, officer, DISMISS["duplicate"], "duplicate")
            return
        # a lapsed permit the register proves; conduct needs evidence, which the check may not find
        proven = rule == Rule.MUCK_NO_PERMIT or self.rng.random() < params.CHECK_PROVEN
        if found is not None and proven:
            self.settled[found.key] = rule
            if rule in HANDOVER:
                to, note = HANDOVER[rule]
                if self.year._try(actions.hand_over, finding, actor=officer, to=to, check_note=note):
                    self.tally.checks["handed_over"] += 1
            else:
                case = self.year._try(actions.confirm, finding, actor=officer, check_note=CHECK_NOTES[rule])
                if case:
                    self.tally.checks["confirmed"] += 1
                    self._case(case, leader, day)
            self._deter(found)
            return
        if found is not None:
            self._dismiss(finding, officer, DISMISS["unproven"], "unproven")
            return
        innocent = self._episode(finding, INNOCENT.get(rule, ()))
        reason = DISMISS[innocent.kind] if innocent else DISMISS.get(rule, DISMISS["default"])
        self._dismiss(finding, officer, reason, innocent.kind if innocent else "no_episode")

    def _dismiss(self, finding: Finding, officer: Any, reason: str, why: str) -> None:
        if self.year._try(actions.dismiss, finding, actor=officer, reason=reason):
            self.tally.checks[f"dismissed:{why}"] += 1

    def _episode(self, finding: Finding, kinds: tuple[str, ...]) -> voyages.Episode | None:
        """What really happened to the finding's vessel then, of the kinds that can explain the rule."""
        for e in self.state.episodes.get(finding.mmsi, []):
            if e.kind in kinds and e.start - SLACK <= finding.end and finding.start <= e.end + SLACK:
                return e
        return None

    def _case(self, case: Case, leader: Any, day: date) -> None:
        """The confirmed finding's case goes on through the year's case steps; where the law sets no penalty
        (SL-01: an order to correct only) the leader declines to file it."""
        if case.violation_code == "SL-01":
            self.year._try(case_actions.decline, case.pk, actor=leader, reason=DECLINE_SL01)
            return
        self.year._begin_case(case.pk, case.violation_code, case.party_kind, day)

    def _deter(self, episode: voyages.Episode) -> None:
        """The vessel caught stops: a muck vessel without a valid permit waits for its renewal."""
        if episode.kind == "no_permit":
            renewal = min(
                (
                    p.valid_from
                    for p in self.waters.permits
                    if p.mmsi == episode.mmsi and p.valid_from > episode.start.date()
                ),
                default=date(self.year.year + 1, 1, 1),
            )
            self.state.idle_until[episode.mmsi] = renewal
        self.state.stop(episode.mmsi, episode.key.split(":")[0])


# ── What the year produced ────────────────────────────────────────────────────────────────────────────


def summary(year: int) -> dict[str, Any]:
    """The waterway figures of the year: AIS positions in the lake, findings detected, checked and how,
    and the cases registered from them."""
    china = timezone.get_default_timezone()
    start, end = datetime(year, 1, 1, tzinfo=china), datetime(year + 1, 1, 1, tzinfo=china)
    findings = Finding.objects.filter(start__gte=start, start__lt=end)
    checked = Finding.objects.filter(reviewed_at__gte=start, reviewed_at__lt=end)
    cases = Case.objects.filter(source=Source.WATERWAY, registered_at__gte=start, registered_at__lt=end)
    return {
        "ais_positions": _lake_rows(pipeline.POSITIONS, year),
        "checkpoint_passages": _lake_rows(pipeline.PASSAGES, year),
        "waterway_findings": findings.count(),
        "waterway_checked": checked.count(),
        "waterway_confirmed": checked.filter(status=Finding.Status.CONFIRMED).count(),
        "waterway_handed_over": checked.filter(status=Finding.Status.HANDED_OVER).count(),
        "waterway_dismissed": checked.filter(status=Finding.Status.DISMISSED).count(),
        "waterway_cases": cases.exclude(status=CaseStatus.DECLINED).count(),
    }


def _lake_rows(area: str, year: int) -> int:
    folder = pipeline.lake_root() / area
    files = sorted(folder.glob(f"date={year}-*/part-*.parquet")) if folder.is_dir() else []
    return int(pl.scan_parquet(files).select(pl.len()).collect().item()) if files else 0
