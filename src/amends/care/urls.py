from django.urls import path

from . import views

urlpatterns = [
    path("customers/<int:pk>/support-needs", views.support_needs_save_view, name="support_needs_save"),
    path("customers/<int:pk>/support-needs/end", views.support_needs_end_view, name="support_needs_end"),
]
