from django.urls import path

from tandem.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="import_list"),
]
