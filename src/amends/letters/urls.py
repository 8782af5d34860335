from django.urls import path

from . import views

urlpatterns = [
    path("letters/wording/", views.text_blocks, name="text_blocks"),
    path("letters/wording/<str:code>", views.text_block_save, name="text_block_save"),
    path("cases/<str:reference>/letters/<int:pk>/preview", views.letter_preview_view, name="letter_preview"),
]
