from django.apps import AppConfig

from amends.customers import hooks


class MessagingConfig(AppConfig):
    name = "amends.messaging"
    label = "messaging"

    def ready(self) -> None:
        _register_customer_hooks()


def _register_customer_hooks() -> None:
    """A customer's messages follow them when two customer records are merged."""
    # services import models, which Django loads only once the app registry is ready
    from .services import messages_move_customer

    hooks.customer_merged.register(messages_move_customer)
