from django.urls import path

from tandem.people import views

app_name = "people"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("role-fit/", views.rolefit, name="rolefit"),
    path("role-fit/<uuid:token>/", views.rolefit_result, name="rolefit_result"),
    path("competencies/", views.competencies, name="competencies"),
    path("team/", views.people_list, name="people_list"),
    path("person/<int:pk>/", views.person_detail, name="person_detail"),
    path("goals/<int:pk>/status/", views.goal_status, name="goal_status"),
]
