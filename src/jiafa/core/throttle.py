"""Login rate limit against password guessing, counted from the audit trail's failed-login entries
(one source of truth, shared by every process), per account and per client address."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.models import AuditEntry

LOGIN_FAILED = "login_failed"


def check_login_allowed(username: str, ip: str | None, *, now: datetime) -> None:
    since = now - timedelta(minutes=settings.LOGIN_WINDOW_MINUTES)
    failures = AuditEntry.objects.filter(action=LOGIN_FAILED, at__gte=since)
    too_many = failures.filter(object_id=username[:100]).count() >= settings.LOGIN_MAX_FAILURES_PER_USER
    if not too_many and ip:
        too_many = failures.filter(ip=ip).count() >= settings.LOGIN_MAX_FAILURES_PER_IP
    if too_many:
        raise JiafaError(
            ErrorCode.TOO_MANY_ATTEMPTS,
            f"登录失败次数过多，请 {settings.LOGIN_WINDOW_MINUTES} 分钟后再试",
        )
