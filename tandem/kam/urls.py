from django.urls import path

from tandem.kam import views as kam_views

app_name = "kam"
urlpatterns = [
    path("", kam_views.cockpit, name="cockpit"),
    path("concentration/", kam_views.concentration, name="concentration"),
]
