from django.urls import path

from . import views

urlpatterns = [
    path("integrations/", views.integrations, name="integrations"),
    path("cases/<str:reference>/reply", views.case_reply, name="case_reply"),
    path("cases/<str:reference>/log-contact", views.case_log_contact, name="case_log_contact"),
    path(
        "cases/<str:reference>/messages/<int:message_id>/send-again",
        views.case_send_again,
        name="case_send_again",
    ),
    path("cases/<str:reference>/saved-replies/<int:pk>", views.saved_reply_text, name="saved_reply_text"),
    path("saved-replies/", views.saved_replies, name="saved_replies"),
    path("saved-replies/add", views.saved_reply_add, name="saved_reply_add"),
    path("saved-replies/<int:pk>/edit", views.saved_reply_edit, name="saved_reply_edit"),
    path("saved-replies/<int:pk>/delete", views.saved_reply_remove, name="saved_reply_delete"),
    path("cases/<str:reference>/attachments/<int:pk>", views.attachment_download, name="attachment_download"),
    path(
        "cases/<str:reference>/attachments/<int:pk>/preview",
        views.attachment_preview,
        name="attachment_preview",
    ),
]
