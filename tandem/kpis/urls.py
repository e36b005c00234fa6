from django.urls import path

from tandem.kpis import views

app_name = "kpis"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
]
