"""Insights and announcements."""

from django.urls import path

from tandem.insights import views

app_name = "insights"
urlpatterns = [
    path("", views.feed, name="feed"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/delete/", views.delete, name="delete"),
]
