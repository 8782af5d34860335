from django.urls import path

from . import views

urlpatterns = [
    path("practice/", views.practice_library, name="practice_library"),
    path("practice/start", views.practice_start_view, name="practice_start"),
    path("practice/sessions/<int:pk>/", views.practice_session, name="practice_session"),
    path("practice/sessions/<int:pk>/reply", views.practice_reply_view, name="practice_reply"),
    path("practice/sessions/<int:pk>/end", views.practice_end_view, name="practice_end"),
    path("practice/sessions/<int:pk>/results", views.practice_results, name="practice_results"),
]
