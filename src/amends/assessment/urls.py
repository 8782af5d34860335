from django.urls import path

from . import views

urlpatterns = [
    path("cases/<str:reference>/observations", views.case_observe, name="case_observe"),
]
