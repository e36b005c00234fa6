from django.urls import path

from tandem.accounts import views

app_name = "accounts"
urlpatterns = [
    path("", views.account_list, name="account_list"),
    path("<int:pk>/", views.account_detail, name="account_detail"),
    path("<int:account_pk>/contacts/new/", views.contact_create, name="account_contact_create"),
    path("contacts/", views.contact_list, name="contact_list"),
    path("contacts/new/", views.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
]
