from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate

from amends.customers import hooks
from amends.customers.hooks import customer_page_context

from .search_index import ensure_search_index


class CasesConfig(AppConfig):
    name = "amends.cases"
    label = "cases"

    def ready(self) -> None:
        _register_customer_hooks()
        _register_pages()
        _register_bulk_actions()
        _register_queue_filters()
        post_migrate.connect(_keep_search_triggers, sender=self)


def _register_customer_hooks() -> None:
    """A customer's cases, and the notes on them, follow them when two customer records are merged."""
    # services import models, which Django loads only once the app registry is ready
    from .notes import notes_move_customer
    from .services import cases_move_customer

    hooks.customer_merged.register(cases_move_customer)
    hooks.customer_merged.register(notes_move_customer)


def _register_pages() -> None:
    """The customer page lists the customer's cases the user may see."""
    from . import views  # views import models, which Django loads only once the app registry is ready

    customer_page_context.register(views.customer_page_context)


def _register_bulk_actions() -> None:
    """The queue's own bulk actions: assign, change status, add a tag."""
    from . import bulk  # its actions call the services, which import models: loaded once the registry is

    bulk.register()


def _register_queue_filters() -> None:
    """The queue's own filter on a raised priority (priority.py says why it is not a risk)."""
    from . import priority  # imports models: loaded once the registry is

    priority.register()


def _keep_search_triggers(*, using: str, **kwargs) -> None:
    """A later migration that rebuilds a table on SQLite drops the search index's triggers: put them back."""
    ensure_search_index(connections[using])
