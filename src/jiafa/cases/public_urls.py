from django.urls import path

from jiafa.cases import public

app_name = "lookup"
urlpatterns = [
    path("", public.lookup, name="start"),
    path("case/", public.party_case, name="case"),
    path("leave/", public.leave, name="leave"),
]
