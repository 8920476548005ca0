"""Statistics: the dashboard's and the annual report's figures over a synthetic year of cases and findings.

Seeds JIAFA_BENCH_REPORT_CASES cases (default 10,000) and as many findings into a throw-away SQLite database
(bulk inserts: the seeding is not what is measured) and times the figures for the whole bureau. With
JIAFA_BENCH_DATABASE_URL pointing to an empty PostgreSQL database it also runs a province-scale year of
JIAFA_BENCH_REPORT_LARGE cases (default 1,000,000) there, and removes what it seeded afterwards.
One JSON line per run; targets: < 1 s for 10,000 cases, < 10 s for 1,000,000.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

YEAR = 2025
BATCH = 20_000


def seed(n: int, rng: random.Random) -> dict[str, int]:
    from django.db import connection

    from jiafa.core import orgdata
    from jiafa.core.models import OrgUnit, User
    from jiafa.overload.models import WimStation

    tree = Path(__file__).resolve().parents[1] / "src/jiafa/core/data/org_units/jiaxing.json"
    orgdata.load(json.loads(tree.read_text(encoding="utf-8")))
    squadrons = list(OrgUnit.objects.filter(kind="squadron"))
    officers = User.objects.bulk_create(
        [
            User(username=f"bench{i}", full_name=f"执法员{i}", org_unit=u, role="officer")
            for i, u in enumerate(squadrons)
        ]
    )
    stations = [
        WimStation.objects.create(
            code=f"BENCH-{u.code}",
            name=f"{u.short_name}检测点",
            org_unit=u,
            road="G60",
            direction="上行",
            lat=30.5 + rng.random() / 2,
            lon=120.5 + rng.random() / 2,
        )
        for u in squadrons
    ]
    if connection.vendor == "postgresql":
        seed_sql(n, squadrons, officers, stations)
    else:
        seed_rows(n, rng, squadrons, officers, stations)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"cases": n, "findings": n}


def seed_rows(
    n: int, rng: random.Random, squadrons: list[Any], officers: list[Any], stations: list[Any]
) -> None:
    """Bulk inserts from Python: enough for the 10,000-case year."""
    from jiafa.cases.models import Case
    from jiafa.overload.models import Finding

    outcomes = (
        ["penalty"] * 80
        + ["first_violation_exemption"] * 12
        + ["criminal_transfer"]
        + ["minor_exemption"] * 7
    )
    through = Case.officers.through
    done = 0
    while done < n:
        size = min(BATCH, n - done)
        cases, finds = [], []
        for i in range(done, done + size):
            k = rng.randrange(len(squadrons))
            filed = date(YEAR, 1, 1) + timedelta(days=rng.randrange(350))
            decided = filed + timedelta(days=rng.randrange(1, 100))
            outcome = rng.choice(outcomes)
            fine = rng.choice([200, 2500, 5000, 12000, 20000, 30000]) if outcome == "penalty" else None
            kinds = ["fine"] + (["suspension_order"] if rng.random() < 0.005 else []) if fine else []
            cases.append(
                Case(
                    number=f"嘉交执罚〔{YEAR}〕第{i:07d}号",
                    status="closed",
                    org_unit=squadrons[k],
                    source="non_site" if rng.random() < 0.69 else "inspection",
                    registered_by=officers[k],
                    violation_code=rng.choice(["CX-01", "CX-02", "DY-01", "WY-02"]),
                    occurred_at=datetime(filed.year, filed.month, filed.day, tzinfo=UTC) - timedelta(days=2),
                    place="G60",
                    facts="超限运输",
                    party_kind="organisation" if rng.random() < 0.3 else "person",
                    party_name=f"当事人{rng.randrange(n // 3 + 1)}",
                    party_id_no=str(rng.randrange(n // 3 + 1)),
                    filed_on=filed,
                    decision_due=filed + timedelta(days=90),
                    decided_on=decided if decided.year == YEAR else None,
                    outcome=outcome,
                    penalty_kinds=kinds,
                    fine_yuan=fine,
                    court_applied_on=decided + timedelta(days=100) if rng.random() < 0.002 else None,
                )
            )
            rate = Decimal(rng.randrange(5, 1500)) / 1000
            finds.append(
                Finding(
                    record_id=f"B{i:09d}",
                    station=stations[k],
                    org_unit=squadrons[k],
                    passed_at=datetime(YEAR, 1, 1, tzinfo=UTC)
                    + timedelta(seconds=rng.randrange(365 * 86400)),
                    plate=f"浙F{rng.randrange(n // 2 + 1):06d}",
                    plate_color="黄",
                    axles=rng.choice([2, 3, 4, 5, 6]),
                    gross_kg=int(49000 * (1 + rate)),
                    limit_kg=49000,
                    tolerance_kg=0,
                    overload_kg=int(49000 * rate),
                    overload_rate=rate,
                    outcome="fine",
                    fine_yuan=0,
                    hundred_tonne=rate > 1,
                    basis=[],
                    status=rng.choice(["pending", "confirmed", "dismissed"]),
                )
            )
        created = Case.objects.bulk_create(cases, batch_size=2000)
        through.objects.bulk_create(
            [through(case_id=c.pk, user_id=c.registered_by_id) for c in created], batch_size=5000
        )
        Finding.objects.bulk_create(finds, batch_size=2000)
        done += size


def seed_sql(n: int, squadrons: list[Any], officers: list[Any], stations: list[Any]) -> None:
    """The province-scale year generated inside PostgreSQL: one template row of each table copied n times with
    random dates, units, outcomes and weights (INSERT … SELECT … FROM generate_series)."""
    from django.db import connection

    from jiafa.cases.models import Case
    from jiafa.overload.models import Finding

    unit, officer, station = squadrons[0], officers[0], stations[0]
    case = Case.objects.create(
        number="template",
        status="closed",
        org_unit=unit,
        source="inspection",
        registered_by=officer,
        violation_code="CX-01",
        occurred_at=datetime(YEAR, 1, 1, tzinfo=UTC),
        place="G60",
        facts="超限运输",
        party_kind="person",
        party_name="模板",
        party_id_no="0",
    )
    finding = Finding.objects.create(
        record_id="template",
        station=station,
        org_unit=unit,
        passed_at=datetime(YEAR, 1, 1, tzinfo=UTC),
        plate="模板",
        plate_color="黄",
        axles=6,
        gross_kg=1,
        limit_kg=1,
        tolerance_kg=0,
        overload_kg=0,
        overload_rate=Decimal(0),
        outcome="fine",
        fine_yuan=0,
        basis=[],
    )
    k, parties, plates = len(squadrons), n // 3 + 1, n // 2 + 1
    units = "(ARRAY[" + ",".join(str(u.pk) for u in squadrons) + "])"
    users = "(ARRAY[" + ",".join(str(u.pk) for u in officers) + "])"
    posts = "(ARRAY[" + ",".join(str(s.pk) for s in stations) + "])"
    year0 = f"DATE '{YEAR}-01-01'"
    case_over = {
        "number": f"'嘉交执罚〔{YEAR}〕第' || lpad(s.g::text, 7, '0') || '号'",
        "org_unit_id": f"{units}[s.u]",
        "registered_by_id": f"{users}[s.u]",
        "source": "CASE WHEN s.r1 < 0.69 THEN 'non_site' ELSE 'inspection' END",
        "violation_code": "(ARRAY['CX-01','CX-02','DY-01','WY-02'])[1 + floor(s.r2 * 4)::int]",
        "occurred_at": "(s.filed - 2)::timestamp AT TIME ZONE 'UTC'",
        "party_kind": "CASE WHEN s.r3 < 0.3 THEN 'organisation' ELSE 'person' END",
        "party_id_no": f"floor(s.r4 * {parties})::text",
        "party_name": f"'当事人' || floor(s.r4 * {parties})::text",
        "filed_on": "s.filed",
        "decision_due": "s.filed + 90",
        "decided_on": f"CASE WHEN s.decided < {year0} + 365 THEN s.decided END",
        "outcome": "s.outcome",
        "fine_yuan": "CASE WHEN s.outcome = 'penalty' "
        "THEN (ARRAY[200,2500,5000,12000,20000,30000])[1 + floor(s.r5 * 6)::int] END",
        "penalty_kinds": "CASE WHEN s.outcome <> 'penalty' THEN '[]'::jsonb WHEN s.r6 < 0.005 "
        """THEN '["fine", "suspension_order"]'::jsonb ELSE '["fine"]'::jsonb END""",
        "court_applied_on": "CASE WHEN s.r6 > 0.998 THEN s.decided + 100 END",
    }
    cases = f"""(SELECT s0.*, s0.filed + 1 + floor(s0.r7 * 99)::int AS decided,
        CASE WHEN s0.r8 < 0.80 THEN 'penalty' WHEN s0.r8 < 0.92 THEN 'first_violation_exemption'
             WHEN s0.r8 < 0.93 THEN 'criminal_transfer' ELSE 'minor_exemption' END AS outcome
        FROM (SELECT g, 1 + floor(random() * {k})::int AS u, {year0} + floor(random() * 350)::int AS filed,
              random() AS r1, random() AS r2, random() AS r3, random() AS r4, random() AS r5, random() AS r6,
              random() AS r7, random() AS r8 FROM generate_series(1, {n}) AS g) AS s0) AS s"""
    finding_over = {
        "record_id": "'B' || s.g",
        "station_id": f"{posts}[s.u]",
        "org_unit_id": f"{units}[s.u]",
        "passed_at": f"TIMESTAMPTZ '{YEAR}-01-01 00:00+00' + s.r1 * INTERVAL '365 days'",
        "plate": f"'浙F' || lpad(floor(s.r2 * {plates})::text, 6, '0')",
        "axles": "2 + floor(s.r3 * 5)::int",
        "overload_rate": "s.rate",
        "overload_kg": "floor(49000 * s.rate)::int",
        "gross_kg": "floor(49000 * (1 + s.rate))::int",
        "limit_kg": "49000",
        "hundred_tonne": "s.rate > 1",
        "status": "(ARRAY['pending','confirmed','dismissed'])[1 + floor(s.r4 * 3)::int]",
    }
    findings = f"""(SELECT g, 1 + floor(random() * {k})::int AS u, random() AS r1, random() AS r2,
        random() AS r3, random() AS r4, (5 + floor(random() * 1495)) / 1000.0 AS rate
        FROM generate_series(1, {n}) AS g) AS s"""
    with connection.cursor() as cursor:
        for model, template, over, rows in (
            (Case, case, case_over, cases),
            (Finding, finding, finding_over, findings),
        ):
            columns = [f.column for f in model._meta.concrete_fields if f.column != "id"]
            values = [over.get(c, f"t.{c}") for c in columns]
            table = model._meta.db_table
            cursor.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) SELECT {', '.join(values)} "
                f"FROM {table} AS t, {rows} WHERE t.id = %s",
                [template.pk],
            )
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [template.pk])
        cursor.execute(
            "INSERT INTO cases_case_officers (case_id, user_id) SELECT id, registered_by_id FROM cases_case"
        )


def measure(label: str, n: int) -> dict[str, object]:
    from django.db import connection

    from jiafa.reports import annual, figures
    from jiafa.reports.figures import Period

    rng = random.Random(1)
    start = time.perf_counter()
    seeded = seed(n, rng)
    seed_s = time.perf_counter() - start
    scope = figures.scope_of(None)
    period, today = Period.year(YEAR), date(YEAR + 1, 1, 15)
    start = time.perf_counter()
    h = figures.compute(scope, period, today=today)["headline"]
    figures.headline(scope, period.previous(), today=today)
    dashboard_s = time.perf_counter() - start
    start = time.perf_counter()
    report = annual.build(scope, YEAR, today=today)
    annual_s = time.perf_counter() - start
    return {
        "figure": "reports_figures_seconds",
        "run": label,
        "database": connection.vendor,
        **seeded,
        "seed_seconds": round(seed_s, 1),
        "dashboard_seconds": round(dashboard_s, 3),
        "annual_seconds": round(annual_s, 3),
        "target_seconds": 1 if n <= 10_000 else 10,
        "penalty_cases": h["penalty"],
        "non_site_share": round(h["non_site_share"] or 0, 4),
        "paragraph": report["paragraph"],
    }


def child(label: str, n: int) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from jiafa.cases.models import Case

    if Case.objects.exists():
        sys.exit("the benchmark database already holds cases: point it to an empty database")
    try:
        print(json.dumps(measure(label, n), ensure_ascii=False), flush=True)
    finally:
        if connection.vendor == "postgresql":  # leave the database as empty as it was found
            with connection.cursor() as cursor:
                cursor.execute(
                    "TRUNCATE cases_case_officers, overload_finding, cases_case, overload_wimstation, "
                    "core_user, core_orgunit CASCADE"
                )


def main() -> None:
    if len(sys.argv) == 3:
        child(sys.argv[1], int(sys.argv[2]))
        return
    runs = [("year", int(os.environ.get("JIAFA_BENCH_REPORT_CASES", "10000")), None)]
    if os.environ.get("JIAFA_BENCH_DATABASE_URL"):
        large = int(os.environ.get("JIAFA_BENCH_REPORT_LARGE", "1000000"))
        runs.append(("province_year", large, os.environ["JIAFA_BENCH_DATABASE_URL"]))
    for label, n, url in runs:
        tmp = tempfile.mkdtemp(prefix="jiafa-bench-")
        env = dict(os.environ, JIAFA_DATA_DIR=tmp, DJANGO_SETTINGS_MODULE="jiafa.settings")
        env["JIAFA_DATABASE_URL"] = url or f"sqlite:///{tmp}/bench.sqlite3"
        try:
            subprocess.run([sys.executable, __file__, label, str(n)], env=env, check=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
