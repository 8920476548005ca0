"""Gapless document numbers per bureau, kind and year, e.g. 嘉交执罚〔2024〕第00012号 (law.md §2).
Call inside the transaction that creates the document: if it rolls back, the number is not used up."""

from django.db import transaction

from jiafa.core.models import DocumentSequence, OrgUnit


def next_number(unit: OrgUnit, kind: str, word: str, year: int) -> str:
    """`word` is the document's character in the number (罚, 立, 告 …)."""
    bureau = unit.bureau()
    with transaction.atomic():
        DocumentSequence.objects.get_or_create(bureau=bureau, kind=kind, year=year)
        seq = DocumentSequence.objects.select_for_update().get(bureau=bureau, kind=kind, year=year)
        seq.last += 1
        seq.save(update_fields=["last"])
    return f"{bureau.document_prefix}{word}〔{year}〕第{seq.last:05d}号"
