from django.urls import path

from . import views

urlpatterns = [
    path("improvement/", views.improvement, name="improvement"),
    path("improvement/new", views.improvement_plan, name="improvement_plan"),
    path("improvement/<int:pk>/", views.improvement_action, name="improvement_action"),
    path("improvement/<int:pk>/stage", views.improvement_stage, name="improvement_stage"),
    path("improvement/<int:pk>/check", views.improvement_check, name="improvement_check"),
    path("lessons/", views.lessons, name="lessons"),
    path("lessons/share", views.lesson_share, name="lesson_share"),
    path("lessons/<int:pk>/", views.lesson, name="lesson"),
    path("lessons/<int:pk>/acknowledge", views.lesson_acknowledge, name="lesson_acknowledge"),
]
