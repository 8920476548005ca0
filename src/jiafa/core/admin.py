"""Admin for system administrators. Every change made here is written to the audit trail too."""

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import Model
from django.http import HttpRequest

from jiafa.core import audit
from jiafa.core.models import ApiToken, AuditEntry, EvidenceItem, OrgUnit, User
from jiafa.core.roles import Perm, can


class AuditedAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return can(request.user, Perm.SYSTEM_ADMIN) and super().has_module_permission(request)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        fields = sorted(form.changed_data) if form is not None else []
        audit.record(
            "admin.change" if change else "admin.add",
            actor=request.user,
            obj=obj,
            ip=audit.client_ip(request),
            detail={"fields": fields},
        )

    def delete_model(self, request: HttpRequest, obj: Model) -> None:
        audit.record(
            "admin.delete",
            actor=request.user,
            obj=obj,
            ip=audit.client_ip(request),
            detail={"repr": str(obj)},
        )
        super().delete_model(request, obj)


@admin.register(OrgUnit)
class OrgUnitAdmin(AuditedAdmin):
    list_display = ("name", "short_name", "code", "kind", "parent", "region_code")
    list_filter = ("kind",)
    search_fields = ("name", "code")


@admin.register(User)
class UserAdmin(AuditedAdmin, BaseUserAdmin):
    list_display = ("username", "full_name", "org_unit", "role", "is_active", "last_login")
    list_filter = ("role", "org_unit", "is_active")
    search_fields = ("username", "full_name", "certificate_no")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("身份", {"fields": ("full_name", "org_unit", "role", "certificate_no", "email")}),
        ("状态", {"fields": ("is_active", "is_staff", "is_superuser", "last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "full_name", "org_unit", "role", "password1", "password2")}),
    )
    readonly_fields = ("last_login", "date_joined")


class ReadOnlyAdmin(AuditedAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ("user", "name", "prefix", "created_at", "expires_at", "revoked_at", "last_used_at")


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ("seq", "at", "actor_name", "action", "object_type", "object_id", "ip")
    list_filter = ("action",)


@admin.register(EvidenceItem)
class EvidenceItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "kind", "org_unit", "uploaded_by", "uploaded_at")
