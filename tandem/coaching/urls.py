from django.urls import path

from tandem.core.views import placeholder

app_name = "coaching"
urlpatterns = [
    path("", placeholder, name="overview"),
]
