from django.apps import AppConfig

from amends.cases import hooks
from amends.cases.hooks import case_page_context
from amends.customers.hooks import customer_page_context
from amends.messaging.hooks import reply_placeholders

from .hooks import worker_steps


class ProcessConfig(AppConfig):
    name = "amends.process"
    label = "process"
    verbose_name = "The complaint process: clocks, investigation, options, authority, promises"

    def ready(self) -> None:
        _register_case_hooks()
        _register_pages()
        _register_queue_filters()
        _register_bulk_actions()
        _register_reply_placeholders()
        _register_worker_steps()


def _register_case_hooks() -> None:
    """A case under a regime may not close without its finding and response letter, and its internal
    targets pause while it waits on the customer: cases asks and tells the process through its hooks."""
    # services import models, which Django loads only once the app registry is ready
    from .services import clocks_follow_status, closing_problems

    hooks.close_guards.register(closing_problems)
    hooks.status_listeners.register(clocks_follow_status)


def _register_pages() -> None:
    """The case page shows the process panel, and the customer page the promises made to them."""
    from . import views  # views import models, which Django loads only once the app registry is ready

    case_page_context.register(views.case_page_context)
    customer_page_context.register(views.customer_page_context)


def _register_queue_filters() -> None:
    """The queue lists what a routine reminder's digest counts: clocks at risk, promises due, updates owed."""
    from .selectors import QUEUE_FILTERS  # selectors import models, loaded once the app registry is ready

    for queue_filter in QUEUE_FILTERS:
        hooks.queue_filters.register(queue_filter)


def _register_bulk_actions() -> None:
    """The queue applies a regime to the cases selected, through the case page's action."""
    from .actions import BULK_REGIME  # actions import models, loaded once the app registry is ready

    hooks.bulk_actions.register(BULK_REGIME)


def _register_reply_placeholders() -> None:
    """A saved reply's {respond_by} is the date the regime's clocks hold us to, which the process knows."""
    from .letters import RESPOND_BY  # letters import models, loaded once the app registry is ready

    reply_placeholders.register(RESPOND_BY)


def _register_worker_steps() -> None:
    """Core keeps the notifications' emails but is below the worker: the sweep retries those not sent."""
    from amends.core.emails import notification_emails_sweep

    worker_steps.register(lambda: {"notification_emails": notification_emails_sweep})
