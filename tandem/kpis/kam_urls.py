from django.urls import path

from tandem.core.views import placeholder

app_name = "kam"
urlpatterns = [
    path("", placeholder, name="cockpit"),
]
