from django.urls import path

from tandem.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="job_list"),
    path("<uuid:pk>/", views.job_detail, name="job"),
    path("<uuid:pk>/download/", views.job_download, name="download"),
    path("<uuid:pk>/retry/", views.job_retry, name="retry"),
]
