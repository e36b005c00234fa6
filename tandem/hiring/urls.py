"""Hiring and onboarding."""

from django.urls import path

from tandem.hiring import views

app_name = "hiring"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("positions/new/", views.position_create, name="position_create"),
    path("positions/<int:pk>/", views.position_detail, name="position_detail"),
    path("positions/<int:pk>/status/", views.position_status, name="position_status"),
    path("candidates/<int:pk>/", views.candidate_detail, name="candidate_detail"),
    path("candidates/<int:pk>/status/", views.candidate_status, name="candidate_status"),
    path("onboarding/", views.onboarding_list, name="onboarding"),
    path("onboarding/<int:pk>/", views.plan_detail, name="plan_detail"),
    path("onboarding/<int:pk>/steps/<int:step_pk>/done/", views.step_done, name="step_done"),
]
