from django.urls import path

from tandem.activities import views

app_name = "activities"
urlpatterns = [
    path("", views.activity_list, name="activity_list"),
    path("new/", views.activity_create, name="activity_create"),
    path("<int:pk>/edit/", views.activity_edit, name="activity_edit"),
]
