from django.urls import path

from tandem.shell import views

urlpatterns = [path("", views.home, name="home")]
