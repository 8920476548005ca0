"""What the bureau owes after the penalty (law.md §3): the 一超四罚 counters of 公路安全保护条例 Art. 66
and the report to a vehicle's home region (超限运输车辆行驶公路管理规定 Art. 44), kept as follow-ups.

Counting is SQL aggregates over confirmed findings; the thresholds come from the rulebook
(law/data/rules/repeat_offence.json). A run is idempotent: a subject gets a new follow-up of a kind only for
findings after the window of its last one, so re-running the same day (or the next) opens nothing twice.

Drivers (驾驶人, the second of the four): weigh-in-motion records identify the vehicle, never the driver,
so nothing here opens a `driver_ban`; that belongs to cases that record a driver, which cases do not yet.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from fractions import Fraction
from typing import Any

from django.db import transaction
from django.db.models import Count, Max, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from jiafa.cases.models import Case, PartyKind, Source
from jiafa.cases.states import LEADERS, CaseStatus
from jiafa.core import audit, jurisdiction
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import OrgUnit, User
from jiafa.law import schedules
from jiafa.law.book import rulebook
from jiafa.law.calendar import NoScheduleError, same_day_months_later
from jiafa.law.deadlines import period_end
from jiafa.law.ruledata import RuleBook
from jiafa.overload.models import Finding, FollowUp, Vehicle

K = FollowUp.Kind
OVERLOAD_VIOLATION = "CX-01"  # 车货总质量超过限定标准 (law/data/violations/overload.json)
CLOSED = (CaseStatus.CLOSED, CaseStatus.ARCHIVED)


@dataclass(frozen=True)
class Window:
    """Local calendar days `first`..`last`, both counted."""

    first: date
    last: date

    def start(self, day: date | None = None) -> datetime:
        return datetime.combine(day or self.first, time.min, tzinfo=timezone.get_current_timezone())

    def end(self) -> datetime:
        return self.start(self.last + timedelta(days=1))


def window(today: date, book: RuleBook) -> Window:
    """The rolling year of Art. 66 ending today: 12 months back, the day 12 months ago not counted."""
    months = book.value("repeat_offence.window_months", on=today)
    return Window(same_day_months_later(today, -months) + timedelta(days=1), today)


def confirmed(win: Window) -> QuerySet[Finding]:
    """Findings an officer confirmed as overloading (初审确认), that passed within the window."""
    return Finding.objects.filter(
        status=Finding.Status.CONFIRMED, passed_at__gte=win.start(), passed_at__lt=win.end()
    )


def region_prefix(code: str) -> str:
    """The digits that name an area: 330400 (嘉兴市) → 3304, 330000 (浙江省) → 33."""
    while len(code) > 2 and code.endswith("00"):
        code = code[:-2]
    return code


@dataclass
class RefreshResult:
    today: date
    window: Window
    opened: list[FollowUp] = field(default_factory=list)
    unknown_region: list[str] = field(default_factory=list)  # closed cases whose vehicle's region is unknown

    def as_json(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "window": {"from": self.window.first.isoformat(), "to": self.window.last.isoformat()},
            "opened": {kind: sum(f.kind == kind for f in self.opened) for kind in K.values},
            "followups": [
                {"id": f.pk, "kind": f.kind, "subject": f.subject, "count": f.count, "due": _iso(f.due)}
                for f in self.opened
            ],
            "unknown_region": self.unknown_region,
        }


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def refresh_counters(today: date, *, actor: User | None = None) -> RefreshResult:
    """Open the follow-ups the records call for as of `today`; all in one transaction, audited."""
    book = rulebook()
    result = RefreshResult(today, window(today, book))
    with transaction.atomic():
        result.opened += _vehicle_revocations(result.window, book)
        result.opened += _company_suspensions(result.window, book)
        result.opened += _registration_reports(result, book)
        for f in result.opened:
            audit.record("followup.open", actor=actor, obj=f, detail={"kind": f.kind, "subject": f.subject})
        audit.record("followup.refresh", actor=actor, detail=result.as_json()["opened"] | {"on": str(today)})
    return result


def _last_windows(kind: str, keys: list[str]) -> dict[str, date]:
    """The end of the latest window each subject was already counted for."""
    rows = (
        FollowUp.objects.filter(kind=kind, subject_key__in=keys)
        .values("subject_key")
        .annotate(last=Max("window_to"))
        .values_list("subject_key", "last")
    )
    return {key: last for key, last in rows if last is not None}


def _basis(book: RuleBook, key: str, today: date) -> list[dict[str, str]]:
    return [book.get(key, on=today).basis]


def _vehicle_revocations(win: Window, book: RuleBook) -> list[FollowUp]:
    """Art. 66: a goods vehicle over the limit more than N times within a year → revoke its certificate."""
    times = book.value("repeat_offence.vehicle_times", on=win.last)
    counts = list(confirmed(win).values("plate", "plate_color").annotate(n=Count("id")).filter(n__gt=times))
    keys = {(c["plate"], c["plate_color"]): f"vehicle:{c['plate']}/{c['plate_color']}" for c in counts}
    counted_until = _last_windows(K.VEHICLE_REVOCATION, list(keys.values()))
    vehicles = {(v.plate, v.plate_color): v for v in Vehicle.objects.filter(plate__in=[p for p, _ in keys])}
    over: dict[tuple[str, str], list[tuple[int, int, datetime]]] = defaultdict(list)
    found = confirmed(win).filter(plate__in=[p for p, _ in keys]).order_by("passed_at", "id")
    for plate, colour, pk, unit, passed_at in found.values_list(
        "plate", "plate_color", "id", "org_unit", "passed_at"
    ):
        over[plate, colour].append((pk, unit, passed_at))
    opened = []
    for (plate, colour), key in keys.items():
        rows = over[plate, colour]
        if key in counted_until:  # only what passed since the last follow-up's window counts
            since = win.start(counted_until[key] + timedelta(days=1))
            rows = [row for row in rows if row[2] >= since]
        if len(rows) <= times:
            continue
        vehicle = vehicles.get((plate, colour))
        owner = f"（{vehicle.owner_name}）" if vehicle else "（车辆库中无此车）"
        opened.append(
            FollowUp.objects.create(
                kind=K.VEHICLE_REVOCATION,
                org_unit=_bureau(rows[-1][1]),
                subject=f"{plate}（{colour}牌）{owner}",
                subject_key=key,
                vehicle=vehicle,
                count=len(rows),
                detail={"findings": [pk for pk, _, _ in rows], "times": times},
                basis=_basis(book, "repeat_offence.vehicle_times", win.last),
                window_from=win.first,
                window_to=win.last,
            )
        )
    return opened


def _company_suspensions(win: Window, book: RuleBook) -> list[FollowUp]:
    """Art. 66: a company whose over-limit vehicles within a year exceed a share of its fleet → suspension.
    The fleet is the company's vehicles in the register; a vehicle counts once however often it was over."""
    share = Fraction(str(book.value("repeat_offence.company_fleet_share", on=win.last)))
    rows = [r for r in _fleets(win) if r["over"] * share.denominator > r["fleet"] * share.numerator]
    counted_until = _last_windows(K.COMPANY_SUSPENSION, [f"company:{r['owner_id_no']}" for r in rows])
    opened = []
    for row in rows:
        key = f"company:{row['owner_id_no']}"
        counted = win
        if key in counted_until:  # only vehicles over the limit since the last follow-up's window count
            counted = Window(counted_until[key] + timedelta(days=1), win.last)
            later = _fleets(counted, row["owner_id_no"])
            if not later or later[0]["over"] * share.denominator <= later[0]["fleet"] * share.numerator:
                continue
            row = later[0]
        plates = sorted(plate for _, plate in _over_vehicles(counted, row["owner_id_no"]))
        latest = confirmed(counted).filter(plate__in=plates).order_by("-passed_at").values("org_unit")[:1]
        opened.append(
            FollowUp.objects.create(
                kind=K.COMPANY_SUSPENSION,
                org_unit=_bureau(latest[0]["org_unit"]),
                subject=f"{row['name']}（{row['owner_id_no']}）",
                subject_key=key,
                count=row["over"],
                detail={"fleet": row["fleet"], "vehicles": plates, "share": str(share)},
                basis=_basis(book, "repeat_offence.company_fleet_share", win.last),
                window_from=counted.first,
                window_to=win.last,
            )
        )
    return opened


def _company_vehicles(owner_id_no: str | None = None) -> QuerySet[Vehicle]:
    qs = Vehicle.objects.filter(owner_kind=PartyKind.ORGANISATION)
    return qs if owner_id_no is None else qs.filter(owner_id_no=owner_id_no)


def _over_vehicles(win: Window, owner_id_no: str | None = None) -> list[tuple[str, str]]:
    """(credit code, plate) of each company vehicle over the limit in the window: from the window's findings
    to the vehicles, not from every vehicle to the findings — a register holds hundreds of thousands of
    vehicles, a year's confirmed findings a few thousand plates."""
    findings = confirmed(win)
    if owner_id_no is not None:  # one company's: only its own plates' findings
        findings = findings.filter(plate__in=_company_vehicles(owner_id_no).values("plate"))
    over = set(findings.values_list("plate", "plate_color").distinct())
    rows = _company_vehicles(owner_id_no).filter(plate__in=findings.values("plate"))
    return [(o, p) for o, p, c in rows.values_list("owner_id_no", "plate", "plate_color") if (p, c) in over]


def _fleets(win: Window, owner_id_no: str | None = None) -> list[dict[str, Any]]:
    """Per company (by credit code) with a vehicle over the limit in the window: its fleet, and how many of
    those vehicles were over the limit."""
    over = Counter(owner for owner, _ in _over_vehicles(win, owner_id_no))
    fleets = (
        _company_vehicles()
        .filter(owner_id_no__in=list(over))
        .values("owner_id_no")
        .annotate(fleet=Count("id"), name=Max("owner_name"))
        .order_by("owner_id_no")
    )
    return [{**f, "over": over[f["owner_id_no"]]} for f in fleets]


def _registration_reports(result: RefreshResult, book: RuleBook) -> list[FollowUp]:
    """Art. 44: a closed non-site overload case of a vehicle registered outside the bureau's region is
    reported to the home region within 7 working days of closing."""
    reported = FollowUp.objects.filter(kind=K.REGISTRATION_REPORT, case__isnull=False).values("case_id")
    home = Vehicle.objects.filter(plate=OuterRef("vehicle_plate")).order_by("id").values("registered_region")
    cases = (
        Case.objects.filter(
            source=Source.NON_SITE,
            violation_code=OVERLOAD_VIOLATION,
            status__in=CLOSED,
            closed_on__isnull=False,
        )
        .exclude(pk__in=reported)
        .select_related("org_unit")
        .annotate(home=Subquery(home[:1]))
    )
    calendar = schedules.calendar()
    opened = []
    for bureau in OrgUnit.objects.exclude(document_prefix="").exclude(region_code=""):
        prefix = region_prefix(bureau.region_code)
        mine = cases.filter(org_unit__path__startswith=bureau.path)
        unknown = mine.filter(Q(home__isnull=True) | Q(home=""))
        result.unknown_region += [c.number for c in unknown.order_by("closed_on", "id")]
        for case in mine.exclude(home__isnull=True).exclude(home="").exclude(home__startswith=prefix):
            assert case.closed_on is not None
            rule = book.get("overload.registration_report", on=case.closed_on)
            try:
                due = period_end(rule, case.closed_on, calendar)
            except NoScheduleError as e:
                raise JiafaError(ErrorCode.NO_SCHEDULE, str(e)) from e
            opened.append(
                FollowUp.objects.create(
                    kind=K.REGISTRATION_REPORT,
                    org_unit=case.org_unit,
                    subject=f"{case.number} {case.vehicle_plate}（登记地 {case.home}）",
                    subject_key=f"case:{case.pk}",
                    case=case,
                    count=1,
                    detail={"registered_region": case.home, "bureau_region": bureau.region_code},
                    basis=[rule.basis],
                    due=due,
                )
            )
    return opened


def _bureau(unit_id: int) -> OrgUnit:
    """Revoking a certificate or suspending a company is the bureau's decision, not a squadron's."""
    return OrgUnit.objects.get(pk=unit_id).bureau()


# ── The leaders' list and "done" ─────────────────────────────────────────────────────────────────────


def visible_followups(user: User) -> QuerySet[FollowUp]:
    if user.role not in LEADERS:
        raise JiafaError(ErrorCode.FORBIDDEN, "后续处理事项由中队长、局领导办理")
    return jurisdiction.visible(FollowUp.objects.all(), user).select_related(
        "org_unit", "case", "vehicle", "done_by"
    )


def complete(followup_id: int, *, actor: User, note: str, ip: str | None = None) -> FollowUp:
    """办结: a leader records what was done (e.g. the revocation decision's number); audited."""
    if not note.strip():
        raise JiafaError(ErrorCode.INVALID_INPUT, "请写明办理情况（如决定书文号、抄告函日期）")
    with transaction.atomic():
        visible_followups(actor)  # the role check
        followup = jurisdiction.get_visible(FollowUp.objects.select_for_update(), actor, pk=followup_id)
        if followup.status == FollowUp.Status.DONE:
            raise JiafaError(ErrorCode.CONFLICT, "该事项已由他人办结，请刷新页面")
        followup.status = FollowUp.Status.DONE
        followup.done_by, followup.done_at, followup.note = actor, timezone.now(), note.strip()
        followup.save()
        audit.record(
            "followup.done",
            actor=actor,
            obj=followup,
            ip=ip,
            detail={"kind": followup.kind, "subject": followup.subject, "note": followup.note},
        )
    return followup
