"""Loading a bureau's org-unit tree from a JSON file (core/data/org_units/jiaxing.json is the example).
A bureau changes its structure by editing data; loading again updates by code and never deletes."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import OrgUnit

_FIELDS = ("code", "name", "short_name", "kind")


def _check(node: Any, where: str) -> None:
    if not isinstance(node, dict):
        raise JiafaError(ErrorCode.ORG_DATA_INVALID, f"{where}：应为对象")
    for key in _FIELDS:
        if not isinstance(node.get(key), str) or not node[key].strip():
            raise JiafaError(ErrorCode.ORG_DATA_INVALID, f"{where}：缺少字段“{key}”")
    if node["kind"] not in OrgUnit.Kind.values:
        raise JiafaError(ErrorCode.ORG_DATA_INVALID, f"{where}：类别“{node['kind']}”无效")
    if not isinstance(node.get("children", []), list):
        raise JiafaError(ErrorCode.ORG_DATA_INVALID, f"{where}：children 应为列表")


def _upsert(node: dict[str, Any], parent: OrgUnit | None, where: str, seen: set[str]) -> int:
    _check(node, where)
    if node["code"] in seen:
        raise JiafaError(ErrorCode.ORG_DATA_INVALID, f"{where}：机构代码 {node['code']} 重复")
    seen.add(node["code"])
    unit = OrgUnit.objects.filter(code=node["code"]).first() or OrgUnit(code=node["code"])
    unit.name, unit.short_name, unit.kind = node["name"], node["short_name"], node["kind"]
    unit.region_code = str(node.get("region_code", ""))
    unit.document_prefix = str(node.get("document_prefix", ""))
    unit.parent = parent
    unit.sort_order = len(seen)
    unit.save()
    count = 1
    for i, child in enumerate(node.get("children", [])):
        count += _upsert(
            child, unit, f"{where} > {child.get('name', i) if isinstance(child, dict) else i}", seen
        )
    return count


def load(data: Any) -> int:
    """Create or update every unit in `data`; all or nothing. Returns how many units the file holds."""
    if not isinstance(data, dict) or not isinstance(data.get("units"), list) or not data["units"]:
        raise JiafaError(ErrorCode.ORG_DATA_INVALID, "文件应包含非空的 units 列表")
    seen: set[str] = set()
    with transaction.atomic():
        return sum(
            _upsert(n, None, str(n.get("name", "?")) if isinstance(n, dict) else "?", seen)
            for n in data["units"]
        )
