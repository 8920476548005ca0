"""One-row INSERTs for the rows every case step appends: its timeline events, its audit entry, its document
and the document's stored file. Django's save() builds and compiles the INSERT statement anew for every row,
which was a large part of a step's time; here the statement is built once per model, and each value still
goes through its field's own preparation (defaults, auto_now_add, JSON, dates), as save() does."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import connection, models


def insert(obj: models.Model, *, keep_existing: bool = False) -> bool:
    """Write `obj` as a new row, setting the columns the database assigns (its key). With `keep_existing`, a
    row already there under the same key (content stored before) is left as it is, and False says so."""
    sql, fields, returning = _statement(type(obj), keep_existing)
    values = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        if returning:
            row = cursor.fetchone()
            for field, value in zip(returning, row or (), strict=False):
                setattr(obj, field.attname, value)
            inserted = row is not None
        else:
            inserted = cursor.rowcount != 0
    obj._state.adding, obj._state.db = False, connection.alias
    return inserted


@cache
def _statement(model: type[models.Model], keep_existing: bool) -> tuple[str, list[Any], list[Any]]:
    meta, quote = model._meta, connection.ops.quote_name
    returning = list(meta.db_returning_fields)
    if returning and not connection.features.can_return_columns_from_insert:
        raise NotImplementedError("the database cannot return the columns it assigns")
    fields = [f for f in meta.concrete_fields if f not in returning]
    sql = "INSERT INTO {} ({}) VALUES ({})".format(
        quote(meta.db_table),
        ", ".join(quote(str(f.column)) for f in fields),
        ", ".join(["%s"] * len(fields)),
    )
    if keep_existing:
        sql += " ON CONFLICT DO NOTHING"
    if returning:
        sql += " RETURNING " + ", ".join(quote(str(f.column)) for f in returning)
    return sql, fields, returning
