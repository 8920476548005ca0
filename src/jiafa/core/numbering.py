"""Gapless document numbers per bureau, kind and year, e.g. 嘉交执罚〔2024〕第00012号 (law.md §2).
Call inside the transaction that creates the document: if it rolls back, the number is not used up."""

from django.db import transaction
from django.db.models import F

from jiafa.core.models import DocumentSequence, OrgUnit


def next_number(unit: OrgUnit, kind: str, word: str, year: int) -> str:
    """`word` is the document's character in the number (罚, 立, 告 …)."""
    bureau = unit.bureau()
    sequence = DocumentSequence.objects.filter(bureau=bureau, kind=kind, year=year)
    with transaction.atomic(savepoint=False):
        if not sequence.update(last=F("last") + 1):  # the update locks the row until the transaction ends
            DocumentSequence.objects.get_or_create(bureau=bureau, kind=kind, year=year)
            sequence.update(last=F("last") + 1)
        last = sequence.values_list("last", flat=True).get()
    return f"{bureau.document_prefix}{word}〔{year}〕第{last:05d}号"
