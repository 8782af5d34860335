from django.urls import path

from . import views

urlpatterns = [
    path("letters/wording/", views.text_blocks, name="text_blocks"),
    path("letters/wording/<str:code>", views.text_block_save, name="text_block_save"),
]
