from django.urls import path

from tandem.pipeline import views

app_name = "pipeline"
urlpatterns = [
    path("", views.deal_list, name="deal_list"),
    path("export/<str:fmt>/", views.deal_export, name="deal_export"),
    path("new/", views.deal_create, name="deal_create"),
    path("board/", views.board, name="board"),
    path("account-options/", views.account_options, name="account_options"),
    path("<int:pk>/", views.deal_detail, name="deal_detail"),
    path("<int:pk>/edit/", views.deal_edit, name="deal_edit"),
    path("<int:pk>/move/", views.deal_move, name="deal_move"),
    path("<int:pk>/assign-account/", views.deal_assign_account, name="deal_assign_account"),
]
