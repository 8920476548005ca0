"""Admin of the waterway registers: vessels with their certificates, zones, muck permits and checkpoints."""

from django.contrib import admin

from jiafa.core.admin import AuditedAdmin
from jiafa.waterway.models import Checkpoint, MuckPermit, Vessel, VesselCertificate, Waterway, Zone


class CertificateInline(admin.TabularInline):
    model = VesselCertificate
    extra = 0
    fields = ("kind", "number", "valid_from", "valid_to")


@admin.register(Vessel)
class VesselAdmin(AuditedAdmin):
    list_display = ("name", "mmsi", "kind", "owner_name", "org_unit")
    list_filter = ("kind", "org_unit")
    search_fields = ("name", "mmsi", "owner_name")
    inlines = (CertificateInline,)


@admin.register(Zone)
class ZoneAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "licensed", "org_unit")
    list_filter = ("kind", "licensed", "org_unit")
    search_fields = ("code", "name")
    filter_horizontal = ("allowed_vessels",)


@admin.register(MuckPermit)
class MuckPermitAdmin(AuditedAdmin):
    list_display = ("number", "vessel", "loading_zone", "dumping_zone", "valid_from", "valid_to")
    search_fields = ("number", "vessel__name")
    raw_id_fields = ("vessel",)


@admin.register(Checkpoint)
class CheckpointAdmin(AuditedAdmin):
    list_display = ("code", "name", "waterway", "org_unit")
    list_filter = ("org_unit",)
    search_fields = ("code", "name", "waterway")


@admin.register(Waterway)
class WaterwayAdmin(AuditedAdmin):
    list_display = ("code", "name", "grade")
    search_fields = ("code", "name")
