from django.urls import path

from . import views

urlpatterns = [
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/open", views.review_open, name="review_open"),
    path("reviews/settings/", views.review_settings, name="review_settings"),
    path("reviews/<int:pk>/", views.review_detail, name="review_detail"),
    path("reviews/<int:pk>/assign", views.review_assign, name="review_assign"),
    path("reviews/<int:pk>/findings", views.review_findings, name="review_findings"),
    path("reviews/<int:pk>/close", views.review_close, name="review_close"),
]
