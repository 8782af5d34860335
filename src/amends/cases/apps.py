from django.apps import AppConfig

from amends.customers import hooks
from amends.customers.hooks import customer_page_context


class CasesConfig(AppConfig):
    name = "amends.cases"
    label = "cases"

    def ready(self) -> None:
        _register_customer_hooks()
        _register_pages()


def _register_customer_hooks() -> None:
    """A customer's cases follow them when two customer records are merged."""
    # services import models, which Django loads only once the app registry is ready
    from .services import cases_move_customer

    hooks.customer_merged.register(cases_move_customer)


def _register_pages() -> None:
    """The customer page lists the customer's cases the user may see."""
    from . import views  # views import models, which Django loads only once the app registry is ready

    customer_page_context.register(views.customer_page_context)
