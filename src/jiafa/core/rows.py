"""One-row writes for what every case step writes: the case's changed columns, and the rows it appends (its
timeline events, its audit entry, its document and the document's stored file). Django's save() builds and
compiles its statement anew for every row, which was a large part of a step's time; here a statement is built
once per model (and set of columns), and each value still goes through its field's own preparation
(auto_now_add, JSON, dates), as save() does."""

from __future__ import annotations

from collections.abc import Iterable
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


def update(obj: models.Model, names: Iterable[str]) -> None:
    """Write these fields of an existing row, as save(update_fields=names) would."""
    names = tuple(names)
    if not names:
        return
    sql, fields = _update_statement(type(obj), names)
    values = [f.get_db_prep_save(f.pre_save(obj, False), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, obj.pk])


@cache
def _update_statement(model: type[models.Model], names: tuple[str, ...]) -> tuple[str, list[Any]]:
    meta, quote = model._meta, connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if f.name in names]
    assert len(fields) == len(names), f"not columns of {meta.label}: {names}"
    sets = ", ".join(f"{quote(str(f.column))} = %s" for f in fields)
    return f"UPDATE {quote(meta.db_table)} SET {sets} WHERE {quote(str(meta.pk.column))} = %s", fields


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
