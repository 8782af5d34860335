from django.urls import path

from . import views

urlpatterns = [
    path("customers/<int:pk>/story", views.customer_story_page, name="customer_story"),
]
