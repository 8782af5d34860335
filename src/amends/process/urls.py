from django.urls import path

from . import views

urlpatterns = [
    path("authority/", views.authority_limits, name="authority_limits"),
    path("promises/", views.my_promises, name="my_promises"),
    path("cases/<str:reference>/process/<slug:action>", views.process_action, name="process_action"),
    path("cases/<str:reference>/letters/<int:pk>.pdf", views.letter_pdf, name="letter_pdf"),
]
