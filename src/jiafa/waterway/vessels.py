"""A vessel's file: its vessel code (船舶码) judged from the database, its cases, and the signed token of its
public check page.

The code is the vessel's, not the viewer's: the facts are gathered over the whole database, so that an
officer, the API and the public check page see the same colour. The cases of a vessel are those of its
findings and those registered against it by name with its owner's ID number; a case is open until closed,
declined, archived or transferred; a fine is overdue when the case awaits payment, an amount is outstanding
and the payment date has passed. Confirmed findings are those a check confirmed, whether the bureau filed them
or handed them over.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.core import signing
from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from jiafa.cases.models import Case
from jiafa.cases.states import AWAITING_PAYMENT, DONE, CaseStatus
from jiafa.core import jurisdiction
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.roles import Perm, require
from jiafa.law.book import rulebook
from jiafa.waterway import vessel_code
from jiafa.waterway.models import Finding, Vessel, VesselCertificate

CLOSED = DONE | {CaseStatus.TRANSFERRED}
VERIFIED = (Finding.Status.CONFIRMED, Finding.Status.HANDED_OVER)
TOKEN_SALT = "jiafa.waterway.vessel-check"


def visible(user: object) -> QuerySet[Vessel]:
    """The vessels of the user's jurisdiction, and those with a finding in it (a vessel registered elsewhere
    that was found on the user's waters)."""
    require(user, Perm.WATERWAY_VIEW)
    units = jurisdiction.units(user)
    return (
        Vessel.objects.filter(Q(org_unit__in=units) | Q(findings__org_unit__in=units))
        .select_related("org_unit")
        .distinct()
    )


def limits(on: date) -> vessel_code.Limits:
    book = rulebook()
    return vessel_code.Limits(
        expiring_days=int(book.value("waterway.vessel_code.expiring_days", on=on)),
        recent_days=int(book.value("waterway.vessel_code.recent_days", on=on)),
        red_findings=int(book.value("waterway.vessel_code.red_findings", on=on)),
    )


def cases_of(vessels: Iterable[Vessel]) -> dict[int, list[Case]]:
    """Each vessel's cases: those of its findings, and those against it by name and owner's ID number."""
    vessels = list(vessels)
    ids = {v.pk for v in vessels}
    linked = Finding.objects.filter(vessel__in=ids, case__isnull=False).values_list("vessel_id", "case_id")
    by_case: dict[int, set[int]] = defaultdict(set)
    for vessel_id, case_id in linked:
        by_case[case_id].add(vessel_id)
    named = {(v.name, v.owner_id_no): v.pk for v in vessels if v.owner_id_no}
    by_name = Q(vessel_name__in={name for name, _ in named}, party_id_no__in={i for _, i in named})
    out: dict[int, list[Case]] = {v.pk: [] for v in vessels}
    for case in Case.objects.filter(Q(pk__in=by_case) | by_name).order_by("-registered_at", "-id"):
        owners = by_case.get(case.pk, set())
        named_vessel = named.get((case.vessel_name, case.party_id_no))
        for vessel_id in owners | ({named_vessel} if named_vessel else set()):
            out[vessel_id].append(case)
    return out


def _overdue(case: Case, on: date) -> bool:
    due = case.payment_due
    return case.status in AWAITING_PAYMENT and case.fine_outstanding_yuan > 0 and due is not None and due < on


def facts(vessels: Iterable[Vessel], on: date) -> dict[int, vessel_code.Facts]:
    """The facts the code is judged on, for many vessels in a few queries."""
    vessels = list(vessels)
    ids = [v.pk for v in vessels]
    certificates: dict[int, list[tuple[str, date]]] = defaultdict(list)
    latest = (
        VesselCertificate.objects.filter(vessel__in=ids, valid_from__lte=on)
        .values("vessel_id", "kind")
        .annotate(valid_to=Max("valid_to"))
        .order_by("vessel_id", "kind")
    )
    for row in latest:
        certificates[row["vessel_id"]].append((VesselCertificate.Kind(row["kind"]).label, row["valid_to"]))
    verified: dict[int, list[date]] = defaultdict(list)
    for vessel_id, start in Finding.objects.filter(vessel__in=ids, status__in=VERIFIED).values_list(
        "vessel_id", "start"
    ):
        verified[vessel_id].append(timezone.localtime(start).date())
    cases = cases_of(vessels)
    return {
        v.pk: vessel_code.Facts(
            certificates=certificates[v.pk],
            open_cases=sum(c.status not in CLOSED for c in cases[v.pk]),
            unpaid_fines=sum(_overdue(c, on) for c in cases[v.pk]),
            confirmed_findings=verified[v.pk],
        )
        for v in vessels
    }


def codes(vessels: Iterable[Vessel], on: date) -> dict[int, vessel_code.Code]:
    found = facts(vessels, on)
    rule = limits(on)
    return {pk: vessel_code.judge(f, rule, on) for pk, f in found.items()}


def code(vessel: Vessel, on: date) -> vessel_code.Code:
    return codes([vessel], on)[vessel.pk]


# ── The public check (扫码核验): a signed token, so that vessels can't be enumerated ─────────────────────


def check_token(vessel: Vessel) -> str:
    """The same token every time for a vessel (a printed card keeps working); no one can make one without the
    installation's secret key."""
    return signing.Signer(salt=TOKEN_SALT).sign_object(vessel.mmsi)


def vessel_of(token: str) -> Vessel:
    try:
        mmsi = signing.Signer(salt=TOKEN_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError, UnicodeError) as e:
        raise JiafaError(ErrorCode.CHECK_CODE_INVALID) from e
    vessel = Vessel.objects.filter(mmsi=mmsi).first() if isinstance(mmsi, int) else None
    if vessel is None:
        raise JiafaError(ErrorCode.CHECK_CODE_INVALID, "该船舶已不在登记中，船舶码无效")
    return vessel
