from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("status/<str:token>/", views.status, name="status"),
    path("status/<str:token>/confirm", views.confirm_understanding, name="confirm_understanding"),
    path("status/<str:token>/support", views.tell_support_needs, name="tell_support_needs"),
]
