from django.urls import path

from tandem.forecast import views

app_name = "forecast"
urlpatterns = [
    path("", views.overview, name="overview"),
]
