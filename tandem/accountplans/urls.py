"""Account plans."""

from django.urls import path

from tandem.accountplans import views

app_name = "accountplans"
urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("new/", views.plan_create, name="plan_create"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("<int:pk>/delete/", views.plan_delete, name="plan_delete"),
    path("<int:pk>/actions/", views.action_add, name="action_add"),
    path("actions/<int:pk>/status/", views.action_status, name="action_status"),
    path("actions/<int:pk>/delete/", views.action_remove, name="action_delete"),
    path("qbr/<int:account_pk>/", views.qbr, name="qbr"),
    path("qbr/<int:account_pk>/pdf/", views.qbr_pdf, name="qbr_pdf"),
]
