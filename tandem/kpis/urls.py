from django.urls import path

from tandem.kpis import views
from tandem.quotas import views as quota_views

app_name = "kpis"
urlpatterns = [
    path("", views.cockpit, name="cockpit"),
    path("quotas/", quota_views.quota_list, name="quota_list"),
    path("quotas/<int:pk>/delete/", quota_views.quota_delete, name="quota_delete"),
]
