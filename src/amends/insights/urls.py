from django.urls import path

from . import views

urlpatterns = [
    path("insights/", views.dashboard, name="insights_dashboard"),
    path("insights/cases/", views.cases, name="insights_cases"),
    path("insights/teams/", views.performance, name="insights_performance"),
    path("insights/teams/objectives/", views.objective_set, name="insights_objective_set"),
]
