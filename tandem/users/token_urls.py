from django.urls import path

from tandem.users import views

app_name = "api_tokens"
urlpatterns = [
    path("", views.token_list, name="token_list"),
    path("<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
