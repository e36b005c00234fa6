"""Whitespace."""

from django.urls import path

from tandem.portfolio import views

app_name = "portfolio"
urlpatterns = [
    path("", views.whitespace, name="whitespace"),
    path("accounts/<int:account_pk>/", views.account_candidates, name="account"),
]
