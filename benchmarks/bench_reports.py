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

YEAR = 2025
BATCH = 20_000


def seed(n: int, rng: random.Random) -> dict[str, int]:
    from django.db import connection

    from jiafa.cases.models import Case
    from jiafa.core import orgdata
    from jiafa.core.models import OrgUnit, User
    from jiafa.overload.models import Finding, WimStation

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
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return {"cases": n, "findings": n}


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
    h = figures.headline(scope, period, today=today)
    figures.headline(scope, period.previous(), today=today)
    figures.breakdowns(scope, period)
    figures.overload_breakdowns(scope, period)
    figures.repeat_offenders(scope, period)
    figures.by_month(scope, period)
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
