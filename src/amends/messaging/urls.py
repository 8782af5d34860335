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
]
