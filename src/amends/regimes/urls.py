from django.urls import path

from . import views

urlpatterns = [
    path("regimes/settings", views.regime_settings, name="regime_settings"),
]
