from django.urls import path

from . import views

urlpatterns = [
    path("complain/", views.complain, name="complain"),
    path("inbound/email", views.inbound_email, name="inbound_email"),
    path("intake/held/", views.held_emails, name="held_emails"),
    path("intake/held/<int:pk>/source", views.held_email_source, name="held_email_source"),
    path("intake/held/<int:pk>/release", views.held_email_release_view, name="held_email_release"),
    path("intake/mailboxes/", views.mailboxes, name="mailboxes"),
    path("intake/mailboxes/<int:pk>", views.mailbox_change, name="mailbox_change"),
]
