from django.contrib import admin
from django.urls import include, path

from jiafa.api import api

admin.site.site_header = "嘉法 · 系统管理"
admin.site.site_title = "嘉法"
admin.site.index_title = "系统管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("jiafa.web.urls")),
    path("evidence/", include("jiafa.core.urls")),
    path("cases/", include("jiafa.cases.urls")),
    path("law/", include("jiafa.law.urls")),
    path("stations/", include("jiafa.overload.station_urls")),
    path("lookup/", include("jiafa.cases.public_urls")),
    path("overload/", include("jiafa.overload.urls")),
    path("reports/", include("jiafa.reports.urls")),
    path("permits/", include("jiafa.permits.urls")),
    path("waterway/", include("jiafa.waterway.urls")),
]
