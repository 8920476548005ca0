from django.urls import path

from jiafa.reports import views

app_name = "reports"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.case_records, name="cases"),
    path("findings/", views.finding_records, name="findings"),
    path("annual.docx", views.annual_docx, name="annual_docx"),
    path("export/cases/", views.case_list_export, name="case_list_export"),
    path("export/findings/", views.finding_list_export, name="finding_list_export"),
]
