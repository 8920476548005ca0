from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from jiafa.permits.models import Bridge, Inspection, PermitApplication, PermitEvent


class InspectionInline(admin.TabularInline):
    model = Inspection
    extra = 0


@admin.register(Bridge)
class BridgeAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "road_code",
        "structure",
        "design_load",
        "condition_grade",
        "red_line_ratio",
    )
    list_filter = ("condition_grade", "structure", "road_code", "reinforcement")
    search_fields = ("code", "name")
    inlines = [InspectionInline]


class EventInline(admin.TabularInline):
    model = PermitEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "at", "actor", "status_from", "status_to", "note", "data")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(PermitApplication)
class PermitApplicationAdmin(admin.ModelAdmin):
    """Read-only: applications change through the permit steps, which keep the history and the audit trail."""

    list_display = ("id", "number", "status", "applicant_name", "tractor_plate", "permit_class", "due_on")
    list_filter = ("status", "permit_class")
    search_fields = ("number", "applicant_name", "tractor_plate")
    inlines = [EventInline]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
