from django.urls import path

from . import views

urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("queue/bulk", views.queue_bulk, name="queue_bulk"),
    path("cases/<str:reference>/", views.case_detail, name="case_detail"),
    path("cases/<str:reference>/status", views.case_change_status, name="case_change_status"),
    path("cases/<str:reference>/kind", views.case_change_kind, name="case_change_kind"),
    path("cases/<str:reference>/owner", views.case_change_owner, name="case_change_owner"),
    path(
        "cases/<str:reference>/handovers/<int:pk>/read", views.case_handover_read, name="case_handover_read"
    ),
    path("cases/<str:reference>/tags", views.case_add_tag, name="case_add_tag"),
    path("cases/<str:reference>/tags/remove", views.case_remove_tag, name="case_remove_tag"),
    path("cases/<str:reference>/notes", views.case_note_add, name="case_note_add"),
    path("customers/<int:pk>/notes", views.customer_note_add, name="customer_note_add"),
]
