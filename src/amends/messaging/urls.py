from django.urls import path

from . import views

urlpatterns = [
    path("cases/<str:reference>/reply", views.case_reply, name="case_reply"),
    path("cases/<str:reference>/log-contact", views.case_log_contact, name="case_log_contact"),
    path("cases/<str:reference>/attachments/<int:pk>", views.attachment_download, name="attachment_download"),
    path(
        "cases/<str:reference>/attachments/<int:pk>/preview",
        views.attachment_preview,
        name="attachment_preview",
    ),
]
