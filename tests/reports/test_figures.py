"""Every figure against an independent count: plain Python over the rows of the known year."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jiafa.cases.models import Case
from jiafa.overload.models import Finding
from jiafa.reports import figures
from jiafa.reports.figures import Period, Scope
from tests.conftest import BUREAU, HAINING
from tests.reports.world import YEAR, World

PERIOD = Period.year(YEAR)
TODAY = dt.date(2026, 9, 15)


def cases_in(unit_code: str) -> list[Case]:
    return [c for c in Case.objects.select_related("org_unit") if f"/{unit_code}/" in c.org_unit.path]


def decided(c: Case, p: Period = PERIOD) -> bool:
    return c.decided_on is not None and p.start <= c.decided_on <= p.end


def penalty(c: Case, p: Period = PERIOD) -> bool:
    return decided(c, p) and c.outcome == "penalty"


def count(rows: list[Case], test) -> int:  # type: ignore[no-untyped-def]
    return sum(1 for c in rows if test(c))


def test_headline_figures_match_an_independent_count(world: World, org):
    for code in (BUREAU, HAINING):
        rows = cases_in(code)
        got = figures.headline(Scope(org[code]), PERIOD, today=TODAY)
        expected = {
            "penalty": count(rows, penalty),
            "large_fine": count(rows, lambda c: penalty(c) and (c.fine_yuan or 0) >= 10000),
            "suspension_order": count(rows, lambda c: penalty(c) and "suspension_order" in c.penalty_kinds),
            "court_application": count(
                rows, lambda c: c.court_applied_on is not None and c.court_applied_on.year == YEAR
            ),
            "criminal_transfer": count(rows, lambda c: decided(c) and c.outcome == "criminal_transfer"),
            "first_violation_exemption": count(
                rows, lambda c: decided(c) and c.outcome == "first_violation_exemption"
            ),
            "non_site": count(rows, lambda c: penalty(c) and c.source == "non_site"),
            "fines_yuan": sum(c.fine_yuan or 0 for c in rows if penalty(c)),
        }
        assert {k: got[k] for k in expected} == expected
        assert got["non_site_share"] == expected["non_site"] / expected["penalty"]
        timed = [c for c in rows if decided(c) and c.decision_due]
        assert got["deadline_compliance"] == sum(c.decided_on <= c.decision_due for c in timed) / len(timed)
        spans = [(c.decided_on - c.filed_on).days for c in rows if decided(c) and c.filed_on]
        assert got["avg_handling_days"] == round(sum(spans) / len(spans), 1)
        remedies = [r for c in rows for r in c.remedies.all() if r.filed_on.year == YEAR]
        assert got["review"] == len({r.case_id for r in remedies if r.kind == "review"})
        assert got["lawsuit"] == len({r.case_id for r in remedies if r.kind == "lawsuit"})
        assert got["remedy"] == len({r.case_id for r in remedies})
        assert got["corrected"] == len(
            {
                r.case_id
                for c in rows
                for r in c.remedies.all()
                if r.result in ("revoked", "changed", "confirmed_illegal") and r.decided_on.year == YEAR
            }
        )


def test_the_known_year_has_every_kind_of_case(world: World, org):
    """The data set exercises each figure at least once, so the cross-check above means something."""
    got = figures.headline(Scope(org[BUREAU]), PERIOD, today=TODAY)
    assert got["penalty"] == 8  # 2 hearing, 3 non-site, 1 suspension, 1 summary (Haining) + 1 Tongxiang
    assert (got["large_fine"], got["suspension_order"], got["court_application"]) == (2, 1, 1)
    assert (got["criminal_transfer"], got["first_violation_exemption"], got["non_site"]) == (1, 1, 4)
    assert got["overdue"] >= 1


def test_previous_period_is_the_same_months_a_year_before(world: World, org):
    rows = cases_in(BUREAU)
    before = PERIOD.previous()
    assert (before.start, before.end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    got = figures.headline(Scope(org[BUREAU]), before, today=TODAY)
    assert got["penalty"] == count(rows, lambda c: penalty(c, before)) == 1


def test_breakdowns_match_an_independent_count(world: World, org):
    rows = [c for c in cases_in(BUREAU) if penalty(c)]
    got = figures.breakdowns(Scope(org[BUREAU]), PERIOD)
    by_source: dict[str, int] = {}
    by_violation: dict[str, int] = {}
    by_officer: dict[str, int] = {}
    for c in rows:
        by_source[c.source] = by_source.get(c.source, 0) + 1
        by_violation[c.violation_code] = by_violation.get(c.violation_code, 0) + 1
        for o in c.officers.all():
            by_officer[o.username] = by_officer.get(o.username, 0) + 1
    assert {r["key"]: r["n"] for r in got["source"]} == by_source
    assert {r["key"]: r["n"] for r in got["violation"]} == by_violation
    assert {r["key"]: r["n"] for r in got["officer"]} == by_officer
    units = {r["key"]: r["n"] for r in got["unit"]}
    assert units["330481"] == sum(1 for c in rows if "/330481/" in c.org_unit.path)
    assert units["330483"] == sum(1 for c in rows if "/330483/" in c.org_unit.path)
    outcomes: dict[str, int] = {}
    for c in cases_in(BUREAU):
        if decided(c):
            outcomes[c.outcome] = outcomes.get(c.outcome, 0) + 1
    assert {r["key"]: r["n"] for r in got["outcome"]} == outcomes


def test_by_month_counts_decisions_and_findings_in_china_time(world: World, org):
    months = {r["month"]: r for r in figures.by_month(Scope(org[BUREAU]), PERIOD)}
    assert len(months) == 12
    for m, r in months.items():
        month = int(m[5:])
        assert r["penalty"] == count(
            cases_in(BUREAU), lambda c, month=month: penalty(c) and c.decided_on.month == month
        )
    passed = [f.passed_at.astimezone(figures.CHINA) for f in Finding.objects.all()]
    for m, r in months.items():
        assert r["findings"] == sum(1 for t in passed if f"{t:%Y-%m}" == m)
    assert months["2026-03"]["findings"] == 2  # 23:30 on 15 March in China is still 15 March


def test_overload_figures_match_an_independent_count(world: World, org):
    found = [f for f in Finding.objects.all() if f.passed_at.astimezone(figures.CHINA).year == YEAR]
    got = figures.overload_totals(Scope(org[BUREAU]), PERIOD)
    assert got["findings"] == len(found)
    assert got["confirmed"] == sum(f.status == "confirmed" for f in found)
    assert got["hundred_tonne"] == sum(f.hundred_tonne for f in found)
    assert got["max_overload_rate"] == float(max(f.overload_rate for f in found))
    parts = figures.overload_breakdowns(Scope(org[BUREAU]), PERIOD)
    assert {r["key"]: r["n"] for r in parts["station"]} == {
        code: sum(f.station.code == code for f in found) for code in {f.station.code for f in found}
    }
    edges = [Decimal("0.1"), Decimal("0.3"), Decimal("0.5"), Decimal("1.0")]
    bands = [sum(1 for e in edges if f.overload_rate > e) for f in found]
    assert [r["n"] for r in parts["band"]] == [bands.count(i) for i in range(5)]
    assert [r["label"] for r in parts["band"]] == ["≤10%", "10%–30%", "30%–50%", "50%–100%", ">100%"]


def test_repeat_offenders(world: World, org):
    got = figures.repeat_offenders(Scope(org[BUREAU]), PERIOD)
    assert [(r["key"], r["n"]) for r in got["plates"]] == [("浙F33333", 2)]
    assert [(r["label"], r["n"]) for r in got["companies"]] == [("嘉兴某某物流有限公司", 3)]


def test_each_figure_lists_exactly_the_records_it_counts(world: World, org):
    scope = Scope(org[BUREAU])
    got = figures.headline(scope, PERIOD, today=TODAY)
    for key in figures.CASE_FIGURES:
        assert figures.case_records(scope, PERIOD, key).count() == got[key], key
    for key in figures.FINDING_FIGURES:
        assert figures.finding_records(scope, PERIOD, key).count() == got[key], key
    non_site = figures.case_records(scope, PERIOD, "penalty", source="non_site")
    assert non_site.count() == got["non_site"]
