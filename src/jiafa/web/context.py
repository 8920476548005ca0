"""The navigation every page shows: the modules of docs/system.md, live ones linked, coming ones marked."""

from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from jiafa.core.roles import Perm, can


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str | None  # None: the module is not built yet
    section: str
    perm: Perm | None = None
    hint: str = ""


NAV = (
    NavItem("工作台", "home", "main"),
    NavItem("案件办理", "cases:list", "enforce"),
    NavItem("非现场治超", "overload:queue", "enforce", Perm.FINDING_VIEW),
    NavItem("治超站点", "stations:list", "enforce", Perm.FINDING_VIEW),
    NavItem("水网睿控", "waterway:queue", "enforce", Perm.WATERWAY_VIEW),
    NavItem("大件运输许可", "permits:queue", "enforce", Perm.PERMIT_VIEW),
    NavItem("期间计算器", "law:calculator", "enforce"),
    NavItem("证据库", "evidence:list", "data", Perm.EVIDENCE_VIEW),
    NavItem("信用治超", None, "data", hint="信用记录与黑名单"),
    NavItem("统计与年报", "reports:dashboard", "data", Perm.REPORT_VIEW),
    NavItem("审计日志", "audit", "system", Perm.AUDIT_VIEW),
    NavItem("系统管理", "admin:index", "system", Perm.SYSTEM_ADMIN),
)
SECTIONS = {"main": "", "enforce": "执法业务", "data": "数据与监督", "system": "系统"}


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    groups: dict[str, list[dict[str, object]]] = {}
    current = request.resolver_match.view_name if request.resolver_match else ""
    for item in NAV:
        if item.perm is not None and not can(user, item.perm):
            continue
        url = reverse(item.url_name) if item.url_name else None
        active = bool(item.url_name) and current.split(":")[0] == str(item.url_name).split(":")[0]
        groups.setdefault(SECTIONS[item.section], []).append(
            {"label": item.label, "url": url, "active": active, "hint": item.hint}
        )
    return {"nav_groups": groups.items()}
