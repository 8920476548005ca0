"""API bearer tokens: random, shown once, stored as SHA-256, expiring, revocable."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import ApiToken, User

PREFIX = "jf_"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token(user: User, *, now: datetime, name: str = "") -> tuple[str, ApiToken]:
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=raw[:10],
        key_hash=_hash(raw),
        expires_at=now + timedelta(hours=settings.API_TOKEN_TTL_HOURS),
    )
    return raw, token


def resolve(raw: str, *, now: datetime) -> ApiToken:
    """The live token for a presented string, or a 401 error saying why not."""
    token = ApiToken.objects.select_related("user__org_unit").filter(key_hash=_hash(raw)).first()
    if token is None or not token.user.is_active:
        raise JiafaError(ErrorCode.UNAUTHORIZED, "访问令牌无效")
    if token.revoked_at is not None:
        raise JiafaError(ErrorCode.TOKEN_REVOKED)
    if token.expires_at <= now:
        raise JiafaError(ErrorCode.TOKEN_EXPIRED)
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
