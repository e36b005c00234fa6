from django.urls import path

from tandem.compensation import views

app_name = "compensation"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("people/<int:pk>/", views.statement_view, name="statement"),
    path("people/<int:pk>/what-if/", views.what_if_view, name="what_if"),
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_edit, name="plan_new"),
    path("plans/<int:pk>/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("bands/", views.band_list, name="bands"),
    path("bands/<int:pk>/", views.band_edit, name="band_edit"),
    path("bands/profile/", views.profile_edit, name="profile"),
]
