from django.urls import path

from tandem.core.views import placeholder

app_name = "portfolio"
urlpatterns = [
    path("", placeholder, name="whitespace"),
]
