from django.urls import path

from jiafa.permits import views

app_name = "permits"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("new/", views.new, name="new"),
    path("bridges/", views.bridges, name="bridges"),
    path("<int:app_id>/", views.detail, name="detail"),
    path("<int:app_id>/steps/<str:action>/", views.step, name="step"),
    path("<int:app_id>/document/", views.document, name="document"),
    path("verify/<str:code>/", views.verify, name="verify"),
]
