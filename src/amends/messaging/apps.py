from django.apps import AppConfig

from amends.cases.hooks import case_page_context, queue_filters, status_listeners
from amends.customers import hooks
from amends.customers.hooks import customer_page_context


class MessagingConfig(AppConfig):
    name = "amends.messaging"
    label = "messaging"

    def ready(self) -> None:
        _register_customer_hooks()
        _register_pages()
        _register_queue_filter()
        _register_reopen_notice()


def _register_customer_hooks() -> None:
    """A customer's messages follow them when two customer records are merged."""
    # services import models, which Django loads only once the app registry is ready
    from .services import messages_move_customer

    hooks.customer_merged.register(messages_move_customer)


def _register_pages() -> None:
    """The case and customer pages show the timeline messaging keeps (and the case page its reply forms)."""
    from . import views  # views import models, which Django loads only once the app registry is ready

    case_page_context.register(views.case_page_context)
    customer_page_context.register(views.customer_page_context)


def _register_queue_filter() -> None:
    """The queue's "Email not delivered": stuck or failed mail, for a team leader to see to."""
    from .selectors import UNDELIVERED  # selectors import models, loaded once the app registry is ready

    queue_filters.register(UNDELIVERED)


def _register_reopen_notice() -> None:
    """A re-opened case tells its last owner and team leaders, with the customer's words messaging keeps."""
    from .notices import tell_reopened  # imports models, loaded once the app registry is ready

    status_listeners.register(tell_reopened)
