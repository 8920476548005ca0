from django.contrib import admin

from jiafa.core.admin import ReadOnlyAdmin
from jiafa.law.models import HolidaySchedule


@admin.register(HolidaySchedule)
class HolidayScheduleAdmin(ReadOnlyAdmin):
    """Loaded with `jiafa law calendar load FILE`, which validates the whole year first."""

    list_display = ("year", "source", "loaded_at", "loaded_by")
