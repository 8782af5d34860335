from django.apps import AppConfig


class CustomersConfig(AppConfig):
    name = "amends.customers"
    label = "customers"

    def ready(self) -> None:
        # alerts imports models, which Django loads only once the app registry is ready
        from . import hooks
        from .alerts import alert_notices, alerts_move_customer

        hooks.customer_notices.register(alert_notices)
        hooks.customer_merged.register(alerts_move_customer)
