from django.urls import path

from . import views

urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/status", views.case_change_status, name="case_change_status"),
    path("cases/<str:reference>/kind", views.case_change_kind, name="case_change_kind"),
    path("cases/<str:reference>/owner", views.case_change_owner, name="case_change_owner"),
    path("cases/<str:reference>/notes", views.case_note_add, name="case_note_add"),
    path("customers/<int:pk>/notes", views.customer_note_add, name="customer_note_add"),
]
