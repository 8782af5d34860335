from django.urls import path

from . import views

urlpatterns = [
    path("cases/<str:reference>/signals/<int:signal_id>/feedback", views.feedback, name="signal_feedback"),
    path("cases/<str:reference>/coach", views.coach_draft, name="coach_draft"),
]
