from django.urls import path

from jiafa.law import views

app_name = "law"
urlpatterns = [
    path("calculator/", views.calculator, name="calculator"),
]
