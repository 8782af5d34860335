from django.urls import path

from . import views

urlpatterns = [
    path("conduct/", views.conduct_overview, name="conduct_overview"),
    path("conduct/report/", views.conduct_report, name="conduct_report"),
    path("conduct/safety/", views.conduct_safety, name="conduct_safety"),
    path("conduct/settings/", views.conduct_settings, name="conduct_settings"),
    path("conduct/settings/categories", views.conduct_settings_category, name="conduct_settings_category"),
    path("conduct/settings/levels/<str:code>", views.conduct_settings_level, name="conduct_settings_level"),
    path(
        "conduct/settings/restrictions/<str:code>",
        views.conduct_settings_restriction,
        name="conduct_settings_restriction",
    ),
    path("conduct/incidents/<int:pk>/", views.conduct_incident, name="conduct_incident"),
    path("conduct/decisions/<int:pk>/", views.conduct_decision, name="conduct_decision"),
    path("conduct/decisions/<int:pk>/notice", views.conduct_notice, name="conduct_notice"),
    path("conduct/decisions/<int:pk>/review", views.conduct_review, name="conduct_review"),
    path("conduct/decisions/<int:pk>/appeal", views.conduct_appeal, name="conduct_appeal"),
    path("conduct/appeals/<int:pk>/decide", views.conduct_appeal_decide, name="conduct_appeal_decide"),
    path("conduct/markers/<int:pk>/review", views.conduct_marker_review, name="conduct_marker_review"),
    path("conduct/markers/<int:pk>/remove", views.conduct_marker_remove, name="conduct_marker_remove"),
    path("conduct/follow-ups/<int:pk>/done", views.conduct_follow_up_done, name="conduct_follow_up_done"),
    path("customers/<int:pk>/conduct/", views.conduct_customer, name="conduct_customer"),
    path("customers/<int:pk>/conduct/decide", views.conduct_decide, name="conduct_decide"),
    path("customers/<int:pk>/conduct/markers", views.conduct_marker_add, name="conduct_marker_add"),
]
