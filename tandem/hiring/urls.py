from django.urls import path

from tandem.core.views import placeholder

app_name = "hiring"
urlpatterns = [
    path("", placeholder, name="overview"),
]
