from django.urls import path

from tandem.core import views

urlpatterns = [path("", views.home, name="home")]
