"""The violation catalogue in the database: versions of items (`ViolationType`), loaded from catalogue
documents all or nothing.

- A bureau changes the catalogue by importing a document (`jiafa law violations load FILE`, or the import
  page of the admin). An item whose content differs from the latest version with the same effective date
  becomes version n+1; a version is never changed, so a case that used version 1 still reads version 1.
- The packaged files (data/violations/*.json) are synchronised after every `jiafa migrate`: new packaged
  items and packaged updates are added as versions — except for codes the bureau has imported itself, which
  stay as the bureau left them (`list` shows where a newer packaged version waits to be adopted).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import Max
from django.db.models.expressions import RawSQL

from jiafa.core import audit
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.law import violations
from jiafa.law.models import _PARSED, ViolationType

PACKAGED = Path(__file__).resolve().parent / "data" / "violations"
PACKAGED_BY = "系统内置"


@dataclass
class LoadResult:
    created: list[tuple[str, int]] = field(default_factory=list)  # (code, version) added
    unchanged: list[str] = field(default_factory=list)  # codes whose content was already there
    # sync only: codes the bureau owns for which a newer packaged version waits
    kept: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "created": [{"code": c, "version": v} for c, v in self.created],
            "unchanged": self.unchanged,
            "kept": self.kept,
        }


def content_hash(item: violations.Item) -> str:
    return hashlib.sha256(violations.canonical_json(item).encode()).hexdigest()


def parse(document: object) -> list[violations.Item]:
    try:
        return violations.parse_catalogue(document)
    except violations.CatalogueFormatError as e:
        raise JiafaError(ErrorCode.CATALOGUE_INVALID, e.message) from e


def read_file(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise JiafaError(ErrorCode.CATALOGUE_INVALID, f"无法读取 {path.name}：{e}") from e


def load(document: object, *, actor: Any = None, loaded_by: str = "", source: str = "") -> LoadResult:
    """Import a bureau's catalogue document; a bad item anywhere changes nothing."""
    items = parse(document)
    with transaction.atomic():
        result = _apply(items, origin=ViolationType.Origin.BUREAU, loaded_by=loaded_by)
        audit.record(
            "violations.load",
            actor=actor,
            object_type="law.violationtype",
            object_id=source[:100],
            detail={"source": source, **result.as_json()},
        )
    return result


def packaged_items() -> list[violations.Item]:
    items: list[violations.Item] = []
    for path in sorted(PACKAGED.glob("*.json")):
        try:
            items += violations.parse_catalogue(read_file(path))
        except violations.CatalogueFormatError as e:
            raise JiafaError(ErrorCode.CATALOGUE_INVALID, f"内置文件 {path.name}：{e.message}") from e
    return items


def sync_packaged() -> LoadResult:
    """Bring the packaged catalogue into the database (after `migrate`). Codes the bureau has imported itself
    are left alone; an upgrade that changes the catalogue of a running installation is audited."""
    items = packaged_items()
    with transaction.atomic():
        first_install = not ViolationType.objects.exists()
        owned = _bureau_owned()
        result = _apply([i for i in items if i.code not in owned], origin=ViolationType.Origin.PACKAGED)
        result.kept = _pending(items, owned)
        if result.created and not first_install:
            audit.record("violations.sync", object_type="law.violationtype", detail=result.as_json())
    return result


def pending_packaged_updates() -> list[str]:
    """Codes the bureau owns for which the packaged catalogue holds content the database does not."""
    return _pending(packaged_items(), _bureau_owned())


def _bureau_owned() -> set[str]:
    return set(
        ViolationType.objects.filter(origin=ViolationType.Origin.BUREAU).values_list("code", flat=True)
    )


def _pending(items: list[violations.Item], owned: set[str]) -> list[str]:
    known = set(ViolationType.objects.filter(code__in=owned).values_list("code", "content_hash"))
    return sorted({i.code for i in items if i.code in owned and (i.code, content_hash(i)) not in known})


def _apply(items: list[violations.Item], *, origin: str, loaded_by: str = PACKAGED_BY) -> LoadResult:
    result = LoadResult()
    for item in sorted(items, key=lambda i: (i.code, i.effective_from)):
        digest = content_hash(item)
        versions = ViolationType.objects.filter(code=item.code)
        same_day = versions.filter(effective_from=item.effective_from).order_by("-version").first()
        if same_day is not None and same_day.content_hash == digest:
            result.unchanged.append(item.code)
            continue
        number = (versions.aggregate(n=Max("version"))["n"] or 0) + 1
        ViolationType.objects.create(
            code=item.code,
            version=number,
            effective_from=item.effective_from,
            name=item.name[:300],
            domain=item.domain.value,
            non_site=item.non_site,
            verified=item.verified,
            document=violations.to_document(item),
            content_hash=digest,
            origin=origin,
            loaded_by=loaded_by[:150],
        )
        result.created.append((item.code, number))
    return result


# --- Lookups ----------------------------------------------------------------------------------------------


def current(code: str, *, on: date) -> ViolationType:
    """The version of `code` in force on a day: the latest effective date not after it, and of those the
    latest version (a correction re-issued with the same effective date replaces the earlier text)."""
    rows = ViolationType.objects.filter(code=code)
    row = rows.filter(effective_from__lte=on).order_by("-effective_from", "-version").first()
    if row is not None:
        return row
    earliest = rows.order_by("effective_from").first()
    if earliest is None:
        raise JiafaError(ErrorCode.NOT_FOUND, f"违法行为库中没有编号为 {code} 的事项")
    raise JiafaError(
        ErrorCode.VIOLATION_NOT_IN_FORCE,
        f"{code} 在 {on.isoformat()} 尚未施行（最早的版本自 {earliest.effective_from.isoformat()} 起施行）",
    )


def version(code: str, number: int) -> ViolationType:
    """The exact version a case or decision refers to."""
    row = ViolationType.objects.filter(code=code, version=number).first()
    if row is None:
        raise JiafaError(ErrorCode.NOT_FOUND, f"违法行为库中没有 {code} 第 {number} 版")
    return row


def hash_of(table: str) -> RawSQL:
    """The content hash of the version a row of `table` names in its violation_code and violation_version
    columns: annotated on a case as it is read, it lets `parsed` find the item without a query of its own.
    Plain SQL: the same as a Subquery, at a fifth of the cost of building one for every read."""
    quote = connection.ops.quote_name
    versions, row = quote(ViolationType._meta.db_table), quote(table)
    return RawSQL(
        f"SELECT content_hash FROM {versions}"
        f" WHERE code = {row}.violation_code AND version = {row}.violation_version",
        (),
    )


def parsed(code: str, number: int, digest: str) -> violations.Item | None:
    """The item of a version with this content, if this process has parsed it already."""
    return _PARSED.get((code, number, digest))


def in_force(*, on: date, domain: str | None = None, non_site: bool | None = None) -> list[ViolationType]:
    """The catalogue on a day, one version per code; `non_site=True` gives the 非现场执法事项库."""
    rows = ViolationType.objects.filter(effective_from__lte=on).order_by(
        "code", "-effective_from", "-version"
    )
    if domain is not None:
        rows = rows.filter(domain=domain)
    chosen: dict[str, ViolationType] = {}
    for row in rows:
        chosen.setdefault(row.code, row)
    return [r for r in chosen.values() if non_site is None or r.non_site == non_site]


def violation_choices(on: date) -> list[tuple[str, str]]:
    """(code, label) of the items in force, for a form; items another authority punishes are marked."""
    return [
        (
            row.code,
            f"{row.code} {row.name}" + (f"（移送{row.item.handover_to}）" if row.item.handover_to else ""),
        )
        for row in in_force(on=on)
    ]
