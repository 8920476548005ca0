"""The demo world and a simulated year at a tiny scale, end to end: the world's stations and trucks, a
year of weighing records taken in by the real ingest, findings from the real detection, officers' reviews,
non-site and on-site cases through the real case actions — and the figures the demo reports match an
independent count of what is in the database."""

from __future__ import annotations

import json
import random
from collections import Counter
from datetime import date, timedelta

import polars as pl
import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from jiafa.cases.models import Case, Outcome, Source
from jiafa.cases.states import CaseStatus
from jiafa.core import audit
from jiafa.core.models import AuditEntry
from jiafa.law.book import rulebook
from jiafa.overload import records
from jiafa.overload.models import Finding, IngestBatch, WimStation
from jiafa.permits.models import Bridge, PermitApplication
from jiafa.simulate import params, wim, world, year
from jiafa.waterway.models import Finding as WaterFinding
from jiafa.waterway.models import Vessel, Zone

TINY = 0.002


def test_same_seed_same_world_different_seed_different_world():
    a, b, other = world.build(3, TINY), world.build(3, TINY), world.build(4, TINY)
    assert a.trucks == b.trucks and a.companies == b.companies
    assert [t.plate for t in a.trucks] != [t.plate for t in other.trucks]
    assert [s.code for s in a.sites] == [s.code for s in other.sites]  # the places are Jiaxing's


def test_rare_conduct_comes_as_often_as_its_chances_add_up_to():
    """A 3% chance over 1,000 cases is 30 cases, give or take one (drawn case by case: 20 or 40 as well)."""
    for seed in range(20):
        rare = year.Rare(random.Random(seed))
        hits = [rare("transferred", 0.03) for _ in range(1000)]
        assert sum(hits) in (29, 30, 31)
    chosen = [
        [n for n in range(300) if rare("x", 0.05)] for rare in (year.Rare(random.Random(s)) for s in (1, 2))
    ]
    assert chosen[0] != chosen[1]  # which cases, the seed decides


def test_the_world_is_jiaxing():
    w = world.build(1, TINY)
    assert set(w.units) == {"330402", "330411", "330421", "330482", "330424", "330481", "330483"}
    for site in w.sites:
        assert 30.2 < site.lat < 31.1 and 120.3 < site.lon < 121.3, site
        assert site.unit in w.units
    assert {"G60", "G92", "G1521", "S01", "G320", "G524"} <= set(w.roads)
    # the network is one graph: from any point of any road every other can be reached
    assert world.connected(w.graph)
    assert all(p in w.graph for road in w.roads.values() for p in road.points)
    assert not world.connected({(0.0, 0.0): {(0.0, 1.0)}, (0.0, 1.0): {(0.0, 0.0)}, (5.0, 5.0): set()})
    kinds = Counter(s.kind for s in w.sites)
    assert set(kinds) == {"border", "trunk", "hub", "bridge"}


def test_a_days_records_follow_the_record_format_and_the_trucks_habits():
    w = world.build(5, 0.2)  # a busy day: enough overloads to tell who runs them
    day = date(2023, 6, 6)
    fleet = wim.fleet(w, day)
    frame = wim.passages(w, fleet, day, 1.0)
    assert frame.columns == list(records.COLUMNS)
    assert frame.equals(wim.passages(w, fleet, day, 1.0))  # the same seed gives the same records
    assert frame["record_id"].is_unique().all()
    # a trip that starts late in the evening may pass its second station after midnight
    days = frame.select(records.local_day()).to_series().unique().to_list()
    assert set(days) <= {day, day + timedelta(days=1)}
    tables = records.rule_tables(rulebook(), days)
    judged = records.determine(frame.lazy().with_columns(records.local_day()), tables).collect()
    over = judged.filter(pl.col("outcome") != "none")
    assert 0 < over.height < frame.height * 0.05  # a small share overloaded
    habitual = {t.plate for t in w.trucks if t.habit > 0.1}
    # a habitual overloader's passage is over the limit far more often than any other truck's (a month of
    # passages: a habitual truck passes a few times a day among thousands)
    month = [day + timedelta(days=k) for k in range(30)]
    passages = pl.concat([wim.passages(w, fleet, d, 1.0) for d in month])
    month_tables = records.rule_tables(rulebook(), [*month, month[-1] + timedelta(days=1)])
    judged = records.determine(passages.lazy().with_columns(records.local_day()), month_tables).collect()
    by_habit = judged.group_by(pl.col("plate").is_in(list(habitual)).alias("habitual")).agg(
        share=(pl.col("outcome") != "none").mean(), passages=pl.len()
    )
    share = dict(zip(by_habit["habitual"], by_habit["share"], strict=True))
    assert by_habit.filter(pl.col("habitual"))["passages"].item() > 0
    assert share[True] > 0.1 and share[True] > 50 * share[False]
    # once deterred, a truck runs lawfully — and as many others start overloading
    reformed = wim.reformed(fleet, list(habitual), random.Random(1))
    assert (reformed.filter(pl.col("plate").is_in(list(habitual)))["habit"] <= params.OCCASIONAL_TRIPS).all()
    started = reformed.filter(pl.col("habit") > params.OCCASIONAL_TRIPS)
    assert started.height == len(habitual) and not started["plate"].is_in(list(habitual)).any()
    again = wim.passages(w, reformed, day, 1.0)
    judged_again = records.determine(again.lazy().with_columns(records.local_day()), tables).collect()
    assert not judged_again.filter(pl.col("outcome") != "none")["plate"].is_in(list(habitual)).any()


@pytest.mark.django_db(transaction=True)
def test_a_tiny_year_runs_through_the_real_pipelines(capsys, monkeypatch):
    monkeypatch.setattr(params, "UNPAID_AT_START", 1000)  # two fines of the year before, never paid
    call_command("demo", "--json", "--scale", str(TINY), "--year", "2023", "--seed", "11")
    out = json.loads(capsys.readouterr().out)
    figures = out["summary"]

    # raw data: a file a night, taken in by the ingest command, into the lake
    assert figures["wim_files"] == 365
    assert IngestBatch.objects.count() == 365
    lake = settings.DATA_DIR / "lake" / "wim"
    assert len(list(lake.glob("date=2023-*"))) >= 365
    assert WimStation.objects.count() == len(world.build(11, TINY).sites)
    assert Bridge.objects.count() == 210  # the key control bridges of the oversize routes

    # findings from detection; the confirmed ones became non-site cases against the vehicle's owner
    in_2023 = [f for f in Finding.objects.all() if timezone.localtime(f.passed_at).year == 2023]
    assert figures["findings"] == len(in_2023) > 0
    findings = Finding.objects.filter(pk__in=[f.pk for f in in_2023])
    for f in findings.filter(status=Finding.Status.CONFIRMED).select_related("case"):
        assert f.case is not None and f.case.source == Source.NON_SITE and f.case.vehicle_plate == f.plate
    assert figures["dismissed"] == findings.filter(status=Finding.Status.DISMISSED).count()

    # every case went through the real actions: its timeline and the audit trail hold each step
    cases = Case.objects.all()
    assert cases.filter(source=Source.NON_SITE).exists()
    assert cases.exclude(source=Source.NON_SITE).exists()
    closed = cases.filter(status=CaseStatus.CLOSED)
    assert closed.exists()
    for case in closed[:20]:
        actions = list(case.events.order_by("id").values_list("kind", flat=True))
        assert actions[0] == "register" and actions[-1] == "close"
    assert audit.verify().ok

    # the figures the demo prints are what an independent count of the records gives
    decided = [c for c in cases if c.decided_on and c.decided_on.year == 2023]
    penalties = [c for c in decided if c.outcome == Outcome.PENALTY]
    assert figures["penalty"] == len(penalties) > 0
    assert figures["non_site"] == sum(c.source == Source.NON_SITE for c in penalties)
    assert figures["large_fine"] == sum((c.fine_yuan or 0) >= 10_000 for c in penalties)
    assert figures["first_violation_exemption"] == sum(
        c.outcome == Outcome.FIRST_VIOLATION_EXEMPTION for c in decided
    )
    # oversize permits: accepted by the road transport squadron, checked, decided
    applications = PermitApplication.objects.all()
    assert figures["permit_applications"] == applications.count() > 0
    assert all(a.org_unit.code == "330400-DY" for a in applications)
    granted = [a for a in applications if a.number]
    assert figures["permits_granted"] == len(granted)
    for a in granted:  # a route the check passed, or a bridge engineer's assessment
        assert a.check_result.get("route") is not None or a.events.filter(kind="assess").exists()

    # the water: a day's AIS in NMEA and the checkpoints' CSV, taken in by `jiafa waterway ingest`
    demo = settings.DATA_DIR / "demo" / "waterway"
    assert len(list((demo / "checkpoints").glob("2023-*.csv"))) == 365
    assert len(list((demo / "ais").glob("2023-*.nmea"))) > 300  # a quiet day leaves no AIS file
    assert AuditEntry.objects.filter(action="waterway.ingest").count() > 600
    assert (
        figures["ais_positions"]
        == pl.scan_parquet(str(settings.DATA_DIR / "lake" / "ais_positions" / "date=2023-*" / "*.parquet"))
        .select(pl.len())
        .collect()
        .item()
        > 10_000
    )
    assert Vessel.objects.count() >= 24 and Zone.objects.filter(kind="no_berthing").exists()
    # findings from detection, checked by the water squadron's officers: confirmed into a case against the
    # vessel's owner, muck handed over, the rest set aside with a reason
    water = WaterFinding.objects.filter(start__year=2023)
    assert figures["waterway_findings"] == water.count() > 0
    checked = WaterFinding.objects.exclude(status=WaterFinding.Status.PENDING)
    assert figures["waterway_checked"] == checked.count() > 0
    assert all(f.reviewed_by.org_unit.code == "330400-SY" for f in checked)
    assert all(f.dismiss_reason for f in checked.filter(status=WaterFinding.Status.DISMISSED))
    assert all(f.handed_over_to for f in checked.filter(status=WaterFinding.Status.HANDED_OVER))
    confirmed = checked.filter(status=WaterFinding.Status.CONFIRMED).select_related("case", "vessel")
    assert figures["waterway_confirmed"] == confirmed.count() > 0
    for f in confirmed:
        assert (f.case.source, f.case.vessel_name, f.case.party_name) == (
            Source.WATERWAY,
            f.vessel.name,
            f.vessel.owner_name,
        )
        assert f.case.officers.count() == 2  # the checking officer and a partner (Art. 42)
    waterway_cases = cases.filter(source=Source.WATERWAY)
    assert figures["waterway_cases"] == waterway_cases.exclude(status=CaseStatus.DECLINED).count()
    # a case from the water goes through the same steps as any other
    assert waterway_cases.filter(events__kind__in=["file", "decline"]).exists()

    # the year opened with the year before's unpaid fines: decided then, taken to the court this year once the
    # lawsuit period (six months from service) had passed and the demand went unanswered
    carried = cases.filter(registered_at__year=2022)
    assert carried.count() == 2
    for case in carried:
        assert case.decided_on.year == 2022 and case.outcome == Outcome.PENALTY
        assert case.court_applied_on.year == 2023
        assert case.demand_served_on < case.court_applied_on
        assert case.court_applied_on > case.served_on + timedelta(days=182)
    assert figures["court_application"] == cases.filter(court_applied_on__year=2023).count() >= 2

    # a lawful simulation: no step the platform refused
    assert figures["refused"] == {}
