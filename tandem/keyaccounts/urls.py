from django.urls import path

from tandem.keyaccounts import views

app_name = "keyaccounts"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("rules/", views.rules_edit, name="rules"),
    path("evaluate/", views.evaluate_now, name="evaluate"),
    path("conflicts/", views.conflict_report, name="conflicts"),
    path(
        "accounts/<int:account_pk>/stakeholders/",
        views.stakeholder_map_view,
        name="stakeholder_map",
    ),
    path("handovers/", views.handover_list, name="handover_list"),
    path("propose/<int:account_pk>/", views.handover_propose, name="handover_propose"),
    path("handovers/<int:pk>/", views.handover_detail, name="handover_detail"),
    path("handovers/<int:pk>/accept/", views.handover_accept, name="handover_accept"),
    path("handovers/<int:pk>/reject/", views.handover_reject, name="handover_reject"),
    path("handovers/<int:pk>/withdraw/", views.handover_withdraw, name="handover_withdraw"),
]
