from django.urls import path

from jiafa.overload import views

app_name = "overload"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("review/", views.queue_review, name="review"),
    path("findings/<int:finding_id>/", views.finding_detail, name="finding"),
    path("findings/<int:finding_id>/confirm/", views.finding_confirm, name="confirm"),
    path("findings/<int:finding_id>/dismiss/", views.finding_dismiss, name="dismiss"),
    path("findings/<int:finding_id>/evidence/", views.finding_evidence, name="evidence"),
    path("cases/", views.non_site_cases, name="cases"),
    path("cases/file/", views.non_site_file, name="file"),
]
