"""Logins, failed logins and logouts go into the audit trail, whichever door (web or API) they came by."""

from typing import Any

from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver
from django.http import HttpRequest

from jiafa.core import audit
from jiafa.core.throttle import LOGIN_FAILED


@receiver(user_logged_in)
def _login(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    audit.record(
        "login",
        actor=user,
        object_type="user",
        object_id=user.get_username(),
        org_unit=user.org_unit,
        ip=audit.client_ip(request),
    )


@receiver(user_logged_out)
def _logout(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    if user is not None:
        audit.record(
            "logout",
            actor=user,
            object_type="user",
            object_id=user.get_username(),
            org_unit=user.org_unit,
            ip=audit.client_ip(request),
        )


@receiver(user_login_failed)
def _login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    audit.record(
        LOGIN_FAILED,
        object_type="user",
        object_id=str(credentials.get("username", ""))[:100],
        ip=audit.client_ip(request),
    )
