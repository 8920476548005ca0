"""Documents of the case file (文书): numbered gaplessly per bureau, kind and year, rendered to DOCX and
frozen when issued — the content as JSON, the file in the evidence store under its SHA-256."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.contrib.contenttypes.models import ContentType

from jiafa.cases import events, rendering
from jiafa.cases.models import Case, CaseDocument, DocumentKind
from jiafa.core import evidence, rows
from jiafa.core.models import EvidenceItem, User
from jiafa.core.numbering import next_number
from jiafa.law.book import rulebook
from jiafa.law.ruledata import RuleDataError

K = DocumentKind

# The character each numbered kind carries in its number: 嘉交执罚〔2024〕第00012号.
NUMBER_WORDS: dict[str, str] = {
    K.FILING_FORM: "立",
    K.NOTICE: "告",
    K.HEARING_NOTICE: "听",
    K.DECISION: "罚",
    K.NO_PENALTY_DECISION: "不罚",
    K.DEMAND_NOTICE: "催",
    K.COURT_APPLICATION: "强申",
    K.TRANSFER_LETTER: "移",
}

# Periods and rates a document states, by the rulebook key they come from; frozen with the document.
TERMS: dict[str, dict[str, str]] = {
    K.NOTICE: {"hearing_request": "deadline.hearing_request"},
    K.DECISION: {
        "payment": "deadline.payment",
        "late_fee": "late_fee.daily_rate",
        "review": "remedy.review",
        "lawsuit": "remedy.lawsuit",
    },
    K.NO_PENALTY_DECISION: {"review": "remedy.review", "lawsuit": "remedy.lawsuit"},
    K.DEMAND_NOTICE: {"demand": "deadline.demand_notice", "late_fee": "late_fee.daily_rate"},
}
# Documents of the file that a decision lists as its evidence (证据), in file order.
EVIDENCE_KINDS = (
    K.ON_SITE_RECORD,
    K.INQUIRY_RECORD,
    K.INSPECTION_RECORD,
    K.EVIDENCE_LIST,
    K.DEFENCE_RECORD,
    K.HEARING_RECORD,
)
DECISIONS = (K.DECISION, K.NO_PENALTY_DECISION)
AFTER_DECISION = (K.SERVICE_RECEIPT, K.DEMAND_NOTICE, K.COURT_APPLICATION, K.CLOSING_REPORT)


def term(key: str, on: date) -> dict[str, Any]:
    book = rulebook()
    try:
        rule = book.get(key, on=on)
    except RuleDataError:  # dated before the first version in the rulebook: the period was the same then
        rule = book.versions(key)[0]
    return {"value": rule.value, "unit": rule.unit, "law": rule.law, "article": rule.article}


def _evidence(case: Case, earlier: list[CaseDocument]) -> list[str]:
    lines = [
        f"{d.get_kind_display()}（{rendering.date_zh(d.content.get('date'))}）"
        for d in earlier
        if d.kind in EVIDENCE_KINDS
    ]
    case_type = ContentType.objects.get_for_model(Case)
    items = EvidenceItem.objects.filter(linked_type=case_type, linked_id=str(case.pk))
    lines += [f"{item.get_kind_display()}：{item.title}" for item in items.order_by("collected_at", "id")]
    return lines


def _last(case: Case, *kinds: str) -> CaseDocument | None:
    return case.documents.filter(kind__in=kinds).order_by("-created_at", "-id").first()


def _history(earlier: list[CaseDocument]) -> dict[str, Any]:
    """What a decision recounts of the procedure: the notice, a hearing held, a defence heard."""

    def last(kind: str) -> CaseDocument | None:
        return next((d for d in reversed(earlier) if d.kind == kind), None)

    notice = last(K.NOTICE)
    if notice is None:
        return {}
    hearing = last(K.HEARING_RECORD)
    return {
        "notice_number": notice.number,
        "notice_date": notice.content.get("date"),
        "hearing_right": bool(notice.content.get("hearing_right")),
        "hearing_on": hearing.content.get("date") if hearing and hearing.content.get("attended") else None,
        "defence": any(d.kind == K.DEFENCE_RECORD for d in earlier),
    }


def frame(case: Case, kind: str, on: date) -> dict[str, Any]:
    """What a document states besides the step's own content: the issuing bureau and its texts, the periods in
    force, and — by kind — the evidence, the procedure so far, or the decision it follows."""
    bureau = case.org_unit.bureau().name
    out: dict[str, Any] = {
        "bureau_name": bureau,
        "unit_name": case.org_unit.name,
        "case_source": case.get_source_display(),
        "texts": rendering.bureau_texts(bureau),
        "template": rendering.template_info(kind),
    }
    if kind in TERMS:
        out["terms"] = {name: term(key, on) for name, key in TERMS[kind].items()}
    if kind == K.DECISION:  # the file so far, in its order, read once for both
        earlier = list(case.documents.filter(kind__in=(*EVIDENCE_KINDS, K.NOTICE)))
        out["evidence"] = _evidence(case, earlier)
        out["procedure_history"] = _history(earlier)
    if kind in AFTER_DECISION:
        decided = _last(case, *DECISIONS)
        if decided is not None:
            out["decision"] = {
                "number": decided.number,
                "date": decided.content.get("date"),
                "label": decided.get_kind_display(),
            }
            out["served_document"] = f"{decided.get_kind_display()}（{decided.number}）"
    if kind == K.TRANSFER_LETTER:
        out["outcome"] = case.outcome
    return out


def issue(case: Case, kind: DocumentKind, *, actor: User, on: date, content: dict[str, Any]) -> CaseDocument:
    """Number (where the kind is numbered), render and freeze a document; call inside the action's
    transaction.

    The step's `content` wins over the frame, and the number over both. The DOCX goes into the evidence
    store before the row is written, so the document's file and hash are fixed from the moment it exists."""
    word = NUMBER_WORDS.get(kind)
    number = next_number(case.org_unit, kind, word, on.year) if word else ""
    full = {"date": on.isoformat(), **frame(case, kind, on), **content, "number": number}
    blob = evidence.store(io.BytesIO(rendering.render(kind, full)), rendering.DOCX_TYPE)
    document = CaseDocument(case=case, kind=kind, number=number, content=full, blob=blob, created_by=actor)
    rows.insert(document)
    note = f"{document.get_kind_display()} {number}".strip()
    events.record(case, "document", actor, note=note, document=kind, sha256=blob.sha256)
    return document
