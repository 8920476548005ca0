from datetime import datetime, timedelta
from typing import Any

from django import forms
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jiafa.cases import watch
from jiafa.cases.models import Case
from jiafa.cases.states import DONE
from jiafa.core import audit, jurisdiction
from jiafa.core.errors import ErrorCode, JiafaError
from jiafa.core.http import AuthedRequest
from jiafa.core.models import AuditEntry, EvidenceItem
from jiafa.core.roles import Perm, Role, can, require
from jiafa.core.throttle import check_login_allowed
from jiafa.law import schedules
from jiafa.law.calendar import NoScheduleError
from jiafa.overload import review
from jiafa.waterway import findings as waterway_findings


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }

    def confirm_login_allowed(self, user: Any) -> None:
        super().confirm_login_allowed(user)
        if user.role == Role.STATION:
            raise forms.ValidationError(
                "站点接入账号只用于推送称重记录，不能登录网页。", code="station_account"
            )

    def clean(self) -> dict[str, object]:
        try:
            check_login_allowed(
                self.data.get("username", ""), audit.client_ip(self.request), now=timezone.now()
            )
        except JiafaError as e:
            raise forms.ValidationError(e.message, code=str(e.code)) from e
        return super().clean()


class LoginView(auth_views.LoginView):
    template_name = "web/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("login")


SCHEDULE_WARNING_MONTH = 10  # the State Council usually publishes next year's holidays in October–November


def _greeting(hour: int) -> str:
    return "早上好" if hour < 11 else "中午好" if hour < 13 else "下午好" if hour < 18 else "晚上好"


def _today(now_local: datetime) -> dict[str, object]:
    """Whether today is a working day and the next few working days, for the officer's planning; and, from
    October on, a warning while next year's holiday schedule is missing (deadlines into it would fail)."""
    today = now_local.date()
    cal = schedules.calendar()
    missing = (
        today.year + 1 if today.month >= SCHEDULE_WARNING_MONTH and today.year + 1 not in cal.years else None
    )
    try:
        return {
            "working": cal.is_working_day(today),
            "next_working": cal.add_working_days(today, 1),
            "plus5": cal.add_working_days(today, 5),
            "error": "",
            "missing_next_year": missing,
        }
    except NoScheduleError as e:
        return {"error": str(e), "missing_next_year": missing}


@login_required
def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    now_local = timezone.localtime()
    day_start = now_local.replace(hour=0, minute=0, second=0, microsecond=0)
    visible_audit = jurisdiction.visible(AuditEntry.objects.all(), user)
    open_cases = jurisdiction.visible(Case.objects.exclude(status__in=DONE), user)
    sees_unit_audit = can(user, Perm.AUDIT_VIEW)
    context = {
        "sees_unit_audit": sees_unit_audit,
        "greeting": _greeting(now_local.hour),
        "now": now_local,
        "today": _today(now_local),
        "role_label": Role(user.role).label,
        "units": jurisdiction.units(user).count(),
        "evidence_count": jurisdiction.visible(EvidenceItem.objects.all(), user).count(),
        "findings": review.today_counts(user) if can(user, Perm.FINDING_VIEW) else None,
        "waterway_pending": waterway_findings.pending(user).count()
        if can(user, Perm.WATERWAY_VIEW)
        else None,
        "open_cases": open_cases.count(),
        "my_open_cases": open_cases.filter(officers=user).count(),
        "overdue_cases": open_cases.filter(watch.overdue_q(now_local.date())).count(),
        "evidence_week": jurisdiction.visible(EvidenceItem.objects.all(), user)
        .filter(uploaded_at__gte=now_local - timedelta(days=7))
        .count(),
        "actions_today": visible_audit.filter(at__gte=day_start).count(),
        "recent": (visible_audit if sees_unit_audit else visible_audit.filter(actor=user))
        .select_related("actor", "org_unit")
        .order_by("-seq")[:8],
    }
    return render(request, "web/home.html", context)


@login_required
def audit_log(request: AuthedRequest) -> HttpResponse:
    user = request.user
    require(user, Perm.AUDIT_VIEW)
    entries = AuditEntry.objects.select_related("actor", "org_unit").order_by("-seq")
    if user.org_unit and user.org_unit.parent_id is None:
        entries = entries.filter(Q(org_unit__isnull=True) | Q(org_unit__path__startswith=user.org_unit.path))
    else:
        entries = jurisdiction.visible(entries, user)
    q = request.GET.get("q", "").strip()
    if q:
        entries = entries.filter(
            Q(action__icontains=q) | Q(actor_name__icontains=q) | Q(object_id__icontains=q)
        )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "web/audit.html", {"page": page, "q": q})


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its CSRF token (an old page, cookies off): explain in Chinese, change nothing."""
    error = JiafaError(
        ErrorCode.FORBIDDEN, "页面已过期或浏览器未启用 Cookie，提交未被受理。请刷新页面后重新提交。"
    )
    return render(request, "web/error.html", {"error": error}, status=403)
