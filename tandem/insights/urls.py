from django.urls import path

from tandem.core.views import placeholder

app_name = "insights"
urlpatterns = [
    path("", placeholder, name="feed"),
]
