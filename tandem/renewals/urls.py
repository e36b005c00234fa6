from django.urls import path

from tandem.renewals import views

app_name = "renewals"
urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    path("rates/", views.rates, name="rates"),
    path("contracts/<int:pk>/outcome/", views.outcome, name="outcome"),
]
