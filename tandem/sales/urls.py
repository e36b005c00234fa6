from django.urls import path

from tandem.sales import quota_views, views

app_name = "sales"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("forecast-ahead/", views.forecast_ahead, name="forecast_ahead"),
    path("team-names/", views.team_names, name="team_names"),
    path("quotas/", quota_views.quota_list, name="quota_list"),
    path("quotas/<int:pk>/delete/", quota_views.quota_delete, name="quota_delete"),
]
