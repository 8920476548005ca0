"""Admin of the station registry and the vehicle register. Calibration certificates are edited with their
station, and each one added, changed or deleted there is audited like the station itself. Follow-ups are
read-only here: a leader closes them on their own page, where the note is required and audited."""

from typing import Any

from django.contrib import admin
from django.forms import BaseInlineFormSet
from django.http import HttpRequest

from jiafa.core import audit
from jiafa.core.admin import AuditedAdmin, ReadOnlyAdmin
from jiafa.overload.models import Calibration, FollowUp, Vehicle, WimStation


class CalibrationInline(admin.TabularInline):
    model = Calibration
    extra = 0
    fields = ("certificate_no", "issued_by", "valid_from", "valid_to", "certificate")
    raw_id_fields = ("certificate",)


@admin.register(WimStation)
class WimStationAdmin(AuditedAdmin):
    list_display = ("code", "name", "org_unit", "kind", "road", "direction", "published_on", "status")
    list_filter = ("status", "kind", "org_unit")
    search_fields = ("code", "name", "road")
    inlines = (CalibrationInline,)

    def save_formset(self, request: HttpRequest, form: Any, formset: BaseInlineFormSet, change: bool) -> None:
        deleted = [(str(f.instance.pk), str(f.instance)) for f in formset.deleted_forms if f.instance.pk]
        super().save_formset(request, form, formset, change)
        who = {"actor": request.user, "org_unit": form.instance.org_unit, "ip": audit.client_ip(request)}
        for obj in formset.new_objects:
            audit.record("admin.add", obj=obj, detail={"repr": str(obj)}, **who)
        for obj, fields in formset.changed_objects:
            audit.record("admin.change", obj=obj, detail={"fields": sorted(fields)}, **who)
        for pk, text in deleted:
            kind = "overload.calibration"
            audit.record("admin.delete", object_type=kind, object_id=pk, detail={"repr": text}, **who)


@admin.register(Vehicle)
class VehicleAdmin(AuditedAdmin):
    list_display = ("plate", "plate_color", "owner_name", "owner_kind", "axles", "registered_region")
    list_filter = ("owner_kind", "plate_color", "axles")
    search_fields = ("plate", "owner_name", "owner_id_no")


@admin.register(FollowUp)
class FollowUpAdmin(ReadOnlyAdmin):
    list_display = ("kind", "subject", "count", "window_from", "window_to", "due", "status", "done_at")
    list_filter = ("kind", "status")
    search_fields = ("subject",)
