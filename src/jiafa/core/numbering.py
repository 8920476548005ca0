"""Gapless document numbers per bureau, kind and year, e.g. 嘉交执罚〔2024〕第00012号 (law.md §2).
Call inside the transaction that creates the document: if it rolls back, the number is not used up."""

from django.db import connection, transaction

from jiafa.core.models import DocumentSequence, OrgUnit

# One statement takes the next number and locks the row until the transaction ends.
_TAKE = "UPDATE core_documentsequence SET last = last + 1 WHERE bureau_id = %s AND kind = %s AND year = %s"


def next_number(unit: OrgUnit, kind: str, word: str, year: int) -> str:
    """`word` is the document's character in the number (罚, 立, 告 …)."""
    bureau = unit.bureau()
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        cursor.execute(_TAKE + " RETURNING last", [bureau.pk, kind, year])
        row = cursor.fetchone()
        if row is None:  # the first of its kind this year
            DocumentSequence.objects.get_or_create(bureau=bureau, kind=kind, year=year)
            cursor.execute(_TAKE + " RETURNING last", [bureau.pk, kind, year])
            row = cursor.fetchone()
    return f"{bureau.document_prefix}{word}〔{year}〕第{row[0]:05d}号"
