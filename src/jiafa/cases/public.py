"""The party's side (当事人), without a login: look up one's own case by its number and the end of one's ID
number, read what the bureau has told the party, and state a defence (陈述申辩) — with a hearing request where
the case has that right — while the window is open (行政处罚法 Arts. 41, 44, 45, 63, 64).

Access is the pair (number, last 6 characters of the ID number). Failed pairs are counted from the audit trail
like failed logins, per client address and per number, and a wrong pair gets one message that never says which
half was wrong. After a successful lookup the case is held in the session for a short while.

A submission never changes the case: an officer reads it on the case page and takes the record_defence or
request_hearing step, which puts it on the file and the timeline with its date.
"""

from __future__ import annotations

import hmac
import re
from datetime import date, datetime, timedelta
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.validators import RegexValidator
from django.db import transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from jiafa.cases.actions import case_evidence, item_of
from jiafa.cases.models import Case, CaseDocument, DefenceSubmission, DocumentKind
from jiafa.cases.states import CaseStatus
from jiafa.cases.views import penalty_text
from jiafa.core import audit
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import AuditEntry, OrgUnit

LOOKUP_FAILED = "lookup_failed"
SESSION_KEY = "party_case"
SESSION_MINUTES = 30
MAX_SUBMISSIONS = 5  # per case: room to add to a statement, not to flood the officers' page
ID_TAIL = 6
FAILED = (
    "未查到与所填号码和证件号码相符的案件。请核对违法行为通知书或处罚决定书上的案号（文书编号），"
    "以及当事人身份证件号码或统一社会信用代码的后 6 位。"
)
# The documents a party holds, whose numbers also open the case.
PARTY_DOCUMENTS = (
    DocumentKind.NOTICE,
    DocumentKind.HEARING_NOTICE,
    DocumentKind.DECISION,
    DocumentKind.NO_PENALTY_DECISION,
    DocumentKind.DEMAND_NOTICE,
)
S = CaseStatus
# What each status means to the party, in their words.
PARTY_STATUS = {
    S.NOTIFIED: ("amber", "已告知，可陈述申辩"),
    S.HEARING: ("amber", "听证程序中"),
    S.REVIEWING: ("purple", "审核中，尚未作出决定"),
    S.DISCUSSING: ("purple", "审核中，尚未作出决定"),
    S.PENDING_DECISION: ("purple", "审核中，尚未作出决定"),
    S.DECIDED: ("indigo", "已作出决定，待送达"),
    S.EXECUTING: ("teal", "已送达决定，执行中"),
    S.DEMANDED: ("orange", "已催告缴纳罚款"),
    S.COURT: ("red", "已申请人民法院强制执行"),
    S.SUSPENDED: ("grey", "案件中止"),
    S.TRANSFERRED: ("grey", "已移送"),
    S.CLOSED: ("green", "已结案"),
    S.ARCHIVED: ("green", "已结案"),
}
_BRACKETS = str.maketrans(dict.fromkeys("[［【〖(（", "〔") | dict.fromkeys("]］】〗)）", "〕"))


def normalise_number(text: str) -> str:
    """嘉交执告〔2025〕第00001号 however it was typed: spaces dropped, any bracket pair made 〔〕."""
    return "".join(text.split()).translate(_BRACKETS)


class LookupForm(forms.Form):
    number = forms.CharField(label="案号或文书编号", max_length=80)
    id_tail = forms.CharField(label=f"证件号码后 {ID_TAIL} 位", max_length=20)

    def clean_number(self) -> str:
        return normalise_number(self.cleaned_data["number"])

    def clean_id_tail(self) -> str:
        tail = "".join(self.cleaned_data["id_tail"].split()).upper()
        if not re.fullmatch(rf"[0-9A-Z]{{{ID_TAIL}}}", tail):
            raise forms.ValidationError(f"请填写证件号码的最后 {ID_TAIL} 位（数字或字母）")
        return tail


class DefenceForm(forms.Form):
    text = forms.CharField(
        label="陈述申辩内容",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={"required": "请填写陈述申辩的内容"},
    )
    wants_hearing = forms.BooleanField(label="我要求举行听证", required=False)
    contact_phone = forms.CharField(
        label="联系电话",
        max_length=30,
        required=False,
        validators=[RegexValidator(r"^[0-9+\- ]{7,20}$", "请填写有效的电话号码")],
    )


def check_lookup_allowed(number: str, ip: str | None, *, now: datetime) -> None:
    """Refuse when this address or this number has failed too often lately (counted from the audit trail)."""
    since = now - timedelta(minutes=settings.LOOKUP_WINDOW_MINUTES)
    failures = AuditEntry.objects.filter(action=LOOKUP_FAILED, at__gte=since)
    too_many = bool(ip) and failures.filter(ip=ip).count() >= settings.LOOKUP_MAX_FAILURES_PER_IP
    if not too_many:
        too_many = failures.filter(object_id=number[:100]).count() >= settings.LOOKUP_MAX_FAILURES_PER_NUMBER
    if too_many:
        raise JiafaError(
            ErrorCode.TOO_MANY_ATTEMPTS, f"查询失败次数过多，请 {settings.LOOKUP_WINDOW_MINUTES} 分钟后再试"
        )


def find_case(number: str, id_tail: str) -> Case | None:
    """The case the party may see: one with that number (or a party document's number) that has reached the
    party (notified or decided), whose party ID number ends in `id_tail`."""
    documents = CaseDocument.objects.filter(number=number, kind__in=PARTY_DOCUMENTS).values("case_id")
    candidates = Case.objects.filter(Q(number=number) | Q(pk__in=documents)).filter(
        Q(notice_served_on__isnull=False) | Q(decided_on__isnull=False)
    )
    for case in candidates:
        own = "".join(case.party_id_no.split()).upper()[-ID_TAIL:]
        if hmac.compare_digest(own.encode(), id_tail.encode()):
            return case
    return None


def defence_open(case: Case, today: date) -> bool:
    return case.status == S.NOTIFIED and case.defence_until is not None and today <= case.defence_until


def submit_defence(
    case_id: int, *, text: str, wants_hearing: bool, contact_phone: str, ip: str | None
) -> DefenceSubmission:
    """Keep the party's statement for the officers; refused once the window has closed."""
    with transaction.atomic():
        case = Case.objects.select_for_update().get(pk=case_id)
        if not defence_open(case, timezone.localdate()):
            raise JiafaError(ErrorCode.STEP_NOT_READY, _closed_message(case))
        if case.defence_submissions.count() >= MAX_SUBMISSIONS:
            raise JiafaError(
                ErrorCode.CONFLICT, f"本案已在线提交 {MAX_SUBMISSIONS} 次，如需补充，请直接联系承办机关"
            )
        submission = DefenceSubmission.objects.create(
            case=case,
            text=text.strip(),
            wants_hearing=wants_hearing and case.hearing_right,
            contact_phone=contact_phone.strip(),
            ip=ip,
        )
        audit.record(
            "case.defence_submitted",
            obj=case,
            ip=ip,
            detail={"submission": submission.pk, "wants_hearing": submission.wants_hearing},
        )
    return submission


def _closed_message(case: Case) -> str:
    until = case.defence_until
    if case.status == S.NOTIFIED and until:
        return (
            f"陈述申辩期限已于 {until.year}年{until.month}月{until.day}日 届满，不能再在线提交；"
            "如有正当理由，请联系承办机关。"
        )
    return "本案当前不在陈述申辩期间，不能在线提交；如有疑问，请联系承办机关。"


# ── Pages ────────────────────────────────────────────────────────────────────────────────────────────


def _bureaus() -> str:
    return "、".join(OrgUnit.objects.exclude(document_prefix="").values_list("name", flat=True))


@require_http_methods(["GET", "POST"])
def lookup(request: HttpRequest) -> HttpResponse:
    form = LookupForm(request.POST or None)
    error, status = "", 200
    if request.method == "POST" and form.is_valid():
        number, ip = form.cleaned_data["number"], audit.client_ip(request)
        try:
            check_lookup_allowed(number, ip, now=timezone.now())
        except JiafaError as e:
            error, status = e.message, e.status
        else:
            case = find_case(number, form.cleaned_data["id_tail"])
            if case is None:
                audit.record(LOOKUP_FAILED, object_type="lookup", object_id=number[:100], ip=ip)
                error = FAILED
            else:
                audit.record("case.party_lookup", obj=case, ip=ip)
                request.session.cycle_key()
                until = timezone.now() + timedelta(minutes=SESSION_MINUTES)
                request.session[SESSION_KEY] = {"case": case.pk, "until": until.isoformat()}
                return redirect("lookup:case")
    return render(
        request,
        "cases/public_lookup.html",
        {"form": form, "error": error, "bureaus": _bureaus(), "tail": ID_TAIL},
        status=status,
    )


def _held_case(request: HttpRequest) -> Case | None:
    held = request.session.get(SESSION_KEY)
    if not held or timezone.now() > datetime.fromisoformat(held["until"]):
        request.session.pop(SESSION_KEY, None)
        return None
    return Case.objects.select_related("org_unit").filter(pk=held["case"]).first()


@require_http_methods(["GET", "POST"])
def party_case(request: HttpRequest) -> HttpResponse:
    case = _held_case(request)
    if case is None:
        messages.info(request, "查询已超时或尚未查询，请重新输入案号和证件号码。")
        return redirect("lookup:start")
    today = timezone.localdate()
    is_open = defence_open(case, today)
    form = DefenceForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                submit_defence(case.pk, ip=audit.client_ip(request), **form.cleaned_data)
            except JiafaError as e:
                form.add_error(None, e.message)
                status = e.status
            else:
                messages.success(request, "已收到您的陈述申辩。承办人员将予以核实，并记入案卷。")
                return redirect("lookup:case")
        else:
            status = 422
    return render(
        request,
        "cases/public_case.html",
        party_view(case, today) | {"form": form, "open": is_open, "closed_message": _closed_message(case)},
        status=status,
    )


@require_POST
def leave(request: HttpRequest) -> HttpResponse:
    request.session.pop(SESSION_KEY, None)
    return redirect("lookup:start")


def party_view(case: Case, today: date) -> dict[str, Any]:
    """What the party may read: what the notice and decision say, the evidence by title and hash, the
    officers by name; no internal notes, reviews or timeline."""
    item = item_of(case)
    colour, label = PARTY_STATUS.get(CaseStatus(case.status), ("grey", CaseStatus(case.status).label))
    documents = case.documents.filter(kind__in=PARTY_DOCUMENTS).order_by("created_at", "id")
    return {
        "case": case,
        "item": item,
        "bureau": case.org_unit.bureau().name,
        "status_colour": colour,
        "status_label": label,
        "officers": [o.full_name or o.username for o in case.officers.all()],
        "proposed": penalty_text(case.proposed_kinds, case.proposed_fine_yuan),
        "decided": penalty_text(case.penalty_kinds, case.fine_yuan) if case.outcome else "",
        "documents": [
            (d.get_kind_display(), d.number, date.fromisoformat(d.content["date"])) for d in documents
        ],
        "evidence": case_evidence(case).order_by("collected_at", "id"),
        "submissions": case.defence_submissions.all(),
        "days_left": (case.defence_until - today).days if case.defence_until else None,
        "today": today,
    }
