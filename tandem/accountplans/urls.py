from django.urls import path

from tandem.core.views import placeholder

app_name = "accountplans"
urlpatterns = [
    path("", placeholder, name="plan_list"),
]
