from django.urls import path

from tandem.core.views import placeholder

app_name = "renewals"
urlpatterns = [
    path("", placeholder, name="upcoming"),
]
