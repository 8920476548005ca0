"""Rule data (规则参数): every legal number the platform applies, with its law, article, whether it was
checked against the text, and the day it took effect. Packaged files live in law/data/rules/*.json; a bureau
overrides or adds versions by dropping files of the same format into $JIAFA_DATA_DIR/rules/ — no code change.

Pure code apart from reading those files: a determination asks `book.get(key, on=day)` and cites `rule.basis`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

PACKAGED = Path(__file__).resolve().parent / "data" / "rules"


class DataFormatError(Exception):
    """A data document a bureau supplies (holiday schedule, catalogue) that does not follow its format:
    a machine-readable `code` and a Chinese `message` saying what to fix."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return self.message


class RuleDataError(Exception):
    """A rule file that can't be trusted; the message (Chinese) names the file and the entry."""


@dataclass(frozen=True)
class Rule:
    key: str
    value: Any
    unit: str
    law: str
    article: str
    verified: bool  # True: checked against a copy of the legal text; False: a setting from secondary sources
    effective_from: date
    source: str
    note: str = ""

    @property
    def basis(self) -> dict[str, str]:
        return {"law": self.law, "article": self.article}


class RuleBook:
    """All versions of every rule; `get` picks the one in force on a day."""

    def __init__(self, rules: list[Rule]) -> None:
        self._versions: dict[str, list[Rule]] = {}
        for rule in sorted(rules, key=lambda r: r.effective_from):
            versions = self._versions.setdefault(rule.key, [])
            if versions and versions[-1].effective_from == rule.effective_from:
                versions[-1] = rule  # a later file (a bureau's override) replaces the same version
            else:
                versions.append(rule)

    def get(self, key: str, *, on: date) -> Rule:
        versions = self._versions.get(key)
        if not versions:
            raise KeyError(f"no rule {key!r}")
        in_force = [r for r in versions if r.effective_from <= on]
        if not in_force:
            raise RuleDataError(
                f"规则 {key} 在 {on.isoformat()} 尚未生效（最早 {versions[0].effective_from}）"
            )
        return in_force[-1]

    def value(self, key: str, *, on: date) -> Any:
        return self.get(key, on=on).value

    def keys(self) -> list[str]:
        return sorted(self._versions)

    def versions(self, key: str) -> list[Rule]:
        return list(self._versions.get(key, []))


_REQUIRED = ("key", "value", "article", "effective_from")


def parse_file(document: Any, name: str) -> list[Rule]:
    """One file: a law with its source, and the rules taken from it."""
    if not isinstance(document, dict) or not isinstance(document.get("rules"), list):
        raise RuleDataError(f"{name}：应为包含 rules 列表的对象")
    law, source = document.get("law"), document.get("source", "")
    if not isinstance(law, str) or not law:
        raise RuleDataError(f"{name}：缺少 law（法规名称）")
    rules = []
    for i, entry in enumerate(document["rules"]):
        where = f"{name} 第 {i + 1} 条规则"
        if not isinstance(entry, dict) or any(k not in entry for k in _REQUIRED):
            raise RuleDataError(f"{where}：须有 {'、'.join(_REQUIRED)}")
        try:
            effective = date.fromisoformat(entry["effective_from"])
        except (TypeError, ValueError) as e:
            raise RuleDataError(f"{where}：effective_from 应为 YYYY-MM-DD") from e
        rules.append(
            Rule(
                key=str(entry["key"]),
                value=entry["value"],
                unit=str(entry.get("unit", "")),
                law=str(entry.get("law", law)),
                article=str(entry["article"]),
                verified=bool(entry.get("verified", False)),
                effective_from=effective,
                source=str(entry.get("source", source)),
                note=str(entry.get("note", "")),
            )
        )
    return rules


def load(*folders: Path) -> RuleBook:
    """Files of later folders win over earlier ones for the same key and effective date."""
    rules: list[Rule] = []
    for folder in folders:
        for path in sorted(folder.glob("*.json")) if folder.is_dir() else []:
            try:
                document = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
                raise RuleDataError(f"{path.name}：无法读取（{e}）") from e
            rules += parse_file(document, path.name)
    return RuleBook(rules)
