from django.urls import path

from . import views

urlpatterns = [
    path("customers/<int:pk>/", views.customer_detail, name="customer_detail"),
    path("customers/<int:pk>/edit", views.customer_edit_view, name="customer_edit"),
    path("customers/<int:pk>/alerts", views.customer_alert_raise, name="customer_alert_raise"),
    path(
        "customers/<int:pk>/alerts/<int:alert_id>/close",
        views.customer_alert_close,
        name="customer_alert_close",
    ),
    path("customers/merge-suggestions/", views.merge_suggestions, name="merge_suggestions"),
    path("customers/merge-suggestions/<int:pk>", views.merge_decide, name="merge_decide"),
]
