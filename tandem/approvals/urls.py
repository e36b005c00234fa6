from django.urls import path

from tandem.approvals import views

app_name = "approvals"
urlpatterns = [
    path("", views.approval_list, name="approval_list"),
    path("rules/", views.rules_edit, name="rules_edit"),
    path("<int:pk>/approve/", views.approval_decide, {"decision": "approve"}, name="approve"),
    path("<int:pk>/reject/", views.approval_decide, {"decision": "reject"}, name="reject"),
]
