from django.urls import path

from jiafa.overload import station_views as views

app_name = "stations"
urlpatterns = [
    path("", views.station_list, name="list"),
    path("<int:station_id>/", views.station_detail, name="detail"),
    path("followups/", views.followup_list, name="followups"),
    path("followups/<int:followup_id>/done/", views.followup_done, name="followup_done"),
]
