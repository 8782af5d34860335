from django.urls import path

from . import views

urlpatterns = [
    path("returns/", views.returns_page, name="returns"),
    path("returns/download/", views.returns_download, name="returns_download"),
    path("returns/self-assessment/", views.self_assessment_page, name="self_assessment"),
    path("returns/mapping/", views.mapping_save, name="returns_mapping"),
]
