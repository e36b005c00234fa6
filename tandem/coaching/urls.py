"""Coaching."""

from django.urls import path

from tandem.coaching import views

app_name = "coaching"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("<int:pk>/", views.rep_detail, name="rep_detail"),
    path("notes/<int:pk>/delete/", views.note_delete, name="note_delete"),
]
