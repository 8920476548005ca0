from django.urls import path

from jiafa.waterway import views

app_name = "waterway"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("findings/<int:finding_id>/", views.finding, name="finding"),
    path("findings/<int:finding_id>/hand-over-letter/", views.letter, name="letter"),
    path("findings/<int:finding_id>/<str:step>/", views.verify, name="verify"),
    path("map/", views.map_view, name="map"),
    path("vessels/", views.vessel_list, name="vessels"),
    path("vessels/<int:mmsi>/", views.vessel_detail, name="vessel"),
    path("vessels/<int:mmsi>/card/", views.vessel_card, name="card"),
    path("check/<str:token>/", views.check, name="check"),
]
