"""Use cases of the spine. Each checks the role and the jurisdiction, runs in one transaction and writes its
audit entry inside it. Views, API and CLI call these, never the models, for a change."""

from __future__ import annotations

from datetime import datetime
from typing import IO, Any

from django.contrib.auth import authenticate
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone

from jiafa.core import audit, evidence, jurisdiction, tokens
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import ApiToken, EvidenceItem, OrgUnit, User
from jiafa.core.roles import Perm, require
from jiafa.core.throttle import check_login_allowed


def issue_api_token(request: HttpRequest, username: str, password: str, *, name: str = "") -> str:
    """Exchange a username and password for a bearer token (rate-limited like the login page)."""
    now = timezone.now()
    ip = audit.client_ip(request)
    check_login_allowed(username, ip, now=now)
    user = authenticate(request, username=username, password=password)
    if not isinstance(user, User):
        raise JiafaError(ErrorCode.BAD_CREDENTIALS)
    with transaction.atomic():
        raw, token = tokens.new_token(user, now=now, name=name)
        audit.record(
            "token.issue",
            actor=user,
            obj=token,
            org_unit=user.org_unit,
            ip=ip,
            detail={"prefix": token.prefix, "expires_at": token.expires_at.isoformat()},
        )
    return raw


def revoke_api_token(token: ApiToken, *, actor: User, ip: str | None = None) -> None:
    if token.user_id != actor.pk:
        require(actor, Perm.SYSTEM_ADMIN)
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            audit.record(
                "token.revoke",
                actor=actor,
                obj=token,
                org_unit=token.user.org_unit,
                ip=ip,
                detail={"prefix": token.prefix},
            )


def add_evidence(
    f: IO[bytes],
    *,
    actor: User,
    title: str,
    original_name: str,
    content_type: str,
    kind: str = EvidenceItem.Kind.OTHER,
    description: str = "",
    collected_at: datetime | None = None,
    org_unit: OrgUnit | None = None,
    linked: Any = None,
    ip: str | None = None,
) -> EvidenceItem:
    require(actor, Perm.EVIDENCE_UPLOAD)
    unit = org_unit or actor.org_unit
    if unit is None:
        raise JiafaError(ErrorCode.FORBIDDEN, "您的账号未分配单位，不能上传证据")
    jurisdiction.require_unit(actor, unit)
    title = title.strip()
    if not title:
        raise JiafaError(ErrorCode.INVALID_INPUT, "请填写证据名称")
    if kind not in EvidenceItem.Kind.values:
        raise JiafaError(ErrorCode.INVALID_INPUT, f"证据类别“{kind}”无效")
    if collected_at is not None and collected_at > timezone.now():
        raise JiafaError(ErrorCode.INVALID_INPUT, "取证时间不能晚于当前时间")
    with transaction.atomic():
        blob = evidence.store(f, content_type)
        item = EvidenceItem.objects.create(
            blob=blob,
            org_unit=unit,
            kind=kind,
            title=title[:200],
            description=description,
            original_name=original_name[:255],
            collected_at=collected_at,
            uploaded_by=actor,
            linked_type=ContentType.objects.get_for_model(linked) if linked is not None else None,
            linked_id=str(linked.pk) if linked is not None else "",
        )
        audit.record(
            "evidence.add",
            actor=actor,
            obj=item,
            ip=ip,
            detail={"sha256": blob.sha256, "size": blob.size, "title": item.title},
        )
    return item


def edit_evidence(
    item: EvidenceItem, *, actor: User, version: int, title: str, description: str, ip: str | None = None
) -> EvidenceItem:
    """Change an item's title and note (never its file). `version` is what the editor saw: if someone
    saved in between, the edit is refused instead of silently overwriting theirs."""
    require(actor, Perm.EVIDENCE_EDIT)
    jurisdiction.require_unit(actor, item.org_unit)
    title = title.strip()
    if not title:
        raise JiafaError(ErrorCode.INVALID_INPUT, "请填写证据名称")
    with transaction.atomic():
        updated = EvidenceItem.objects.filter(pk=item.pk, version=version).update(
            title=title[:200], description=description, version=F("version") + 1
        )
        if not updated:
            raise JiafaError(ErrorCode.CONFLICT)
        audit.record(
            "evidence.edit",
            actor=actor,
            obj=item,
            ip=ip,
            detail={
                "before": {"title": item.title, "description": item.description},
                "after": {"title": title[:200], "description": description},
            },
        )
    item.refresh_from_db()
    return item
