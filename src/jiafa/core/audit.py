"""The audit trail: append-only and hash-chained. `record()` appends inside the caller's transaction;
`verify()` recomputes the chain and names the first entry that was edited, deleted or inserted by hand."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from django.db import connection, models, transaction
from django.http import HttpRequest

from jiafa.core import rows
from jiafa.core.models import AuditEntry, AuditHead, OrgUnit

GENESIS = "0" * 64


def client_ip(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def _canonical(value: Any) -> Any:
    """What the database will give back: JSON types only."""
    return json.loads(json.dumps(value, ensure_ascii=False, default=str))


def entry_hash(fields: dict[str, Any], prev_hash: str) -> str:
    payload = json.dumps({**fields, "prev_hash": prev_hash}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def _hashed_fields(e: AuditEntry) -> dict[str, Any]:
    return {
        "seq": e.seq,
        "at": e.at.astimezone(UTC).isoformat(),
        "actor_id": e.actor_id,
        "actor_name": e.actor_name,
        "action": e.action,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "org_unit_id": e.org_unit_id,
        "ip": e.ip,
        "detail": e.detail,
    }


def record(
    action: str,
    *,
    actor: Any = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    org_unit: OrgUnit | None = None,
    ip: str | None = None,
    detail: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> AuditEntry:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        org_unit = org_unit or getattr(obj, "org_unit", None)
    user = actor if getattr(actor, "is_authenticated", False) else None
    with transaction.atomic(savepoint=False):  # a failure here fails the caller's whole transaction
        seq, prev_hash = _lock_head()
        entry = AuditEntry(
            seq=seq + 1,
            at=at or datetime.now(UTC),
            actor=user,
            actor_name=user.get_username() if user else "",
            action=action,
            object_type=object_type,
            object_id=object_id[:100],
            org_unit=org_unit,
            ip=ip,
            detail=_canonical(detail or {}),
            prev_hash=prev_hash,
        )
        entry.entry_hash = entry_hash(_hashed_fields(entry), prev_hash)
        rows.insert(entry)
        with connection.cursor() as cursor:
            cursor.execute(_MOVE_HEAD, [entry.seq, entry.entry_hash])
    return entry


# Every append reads and moves the chain's tip; two plain statements, as each case step appends.
_HEAD = "SELECT seq, entry_hash FROM core_audithead WHERE id = 1"
_MOVE_HEAD = "UPDATE core_audithead SET seq = %s, entry_hash = %s WHERE id = 1"


def _lock_head() -> tuple[int, str]:
    """The tip's sequence number and hash, its row locked until the transaction ends."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(_HEAD + lock)
        row = cursor.fetchone()
        if row is None:  # the first entry ever
            AuditHead.objects.get_or_create(pk=1)
            cursor.execute(_HEAD + lock)
            row = cursor.fetchone()
    return int(row[0]), str(row[1])


@dataclass
class VerifyResult:
    checked: int
    broken_seq: int | None = None
    reason: str = ""

    @property
    def ok(self) -> bool:
        return self.broken_seq is None


def verify() -> VerifyResult:
    expected_seq, prev = 1, GENESIS
    for e in AuditEntry.objects.order_by("seq").iterator(chunk_size=5000):
        if e.seq != expected_seq:
            return VerifyResult(expected_seq - 1, expected_seq, f"第 {expected_seq} 条记录缺失（被删除）")
        if e.prev_hash != prev or entry_hash(_hashed_fields(e), e.prev_hash) != e.entry_hash:
            return VerifyResult(expected_seq - 1, e.seq, f"第 {e.seq} 条记录的内容与哈希链不符（被改动）")
        expected_seq, prev = e.seq + 1, e.entry_hash
    head = AuditHead.objects.filter(pk=1).first() or AuditHead(seq=0, entry_hash=GENESIS)
    last_seq = expected_seq - 1
    if head.seq != last_seq or head.entry_hash != prev:
        return VerifyResult(
            last_seq, last_seq + 1, f"链尾应为第 {head.seq} 条，实际只到第 {last_seq} 条（被删除）"
        )
    return VerifyResult(last_seq)


# What the audit page calls each action and record type; apps add their own in AppConfig.ready().
LABELS = {
    "login": "登录",
    "logout": "退出登录",
    "login_failed": "登录失败",
    "token.issue": "签发 API 令牌",
    "token.revoke": "吊销 API 令牌",
    "evidence.add": "上传证据",
    "evidence.edit": "修改证据说明",
    "org.load": "导入组织机构",
    "calendar.load": "导入节假日安排",
    "violations.load": "导入违法行为库",
    "violations.sync": "更新内置违法行为库",
    "admin.add": "后台新增",
    "admin.change": "后台修改",
    "admin.delete": "后台删除",
}

OBJECT_LABELS = {
    "user": "账号",
    "core.apitoken": "API 令牌",
    "core.evidenceitem": "证据",
    "core.orgunit": "组织机构",
    "core.user": "用户",
    "law.holidayschedule": "节假日安排",
    "law.violationtype": "违法行为库",
    "file": "文件",
}
