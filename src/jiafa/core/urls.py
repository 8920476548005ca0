from django.urls import path

from jiafa.core import views

app_name = "evidence"
urlpatterns = [
    path("", views.evidence_list, name="list"),
    path("upload/", views.evidence_upload, name="upload"),
    path("<int:item_id>/", views.evidence_detail, name="detail"),
    path("<int:item_id>/file/", views.evidence_file, name="file"),
]
