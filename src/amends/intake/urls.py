from django.urls import path

from . import views

urlpatterns = [
    path("complain/", views.complain, name="complain"),
    path("inbound/email", views.inbound_email, name="inbound_email"),
]
