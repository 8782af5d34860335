from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "amends.care"
    label = "care"
    verbose_name = "Care: customers' support needs and vulnerability (FCA FG21/1)"

    def ready(self) -> None:
        _register()


def _register() -> None:
    """The customer page and the case page show the support needs their reader may see, every screen that
    shows the customer its notice, a merge of two customer records takes their support needs along, and the
    worker reminds about review dates; a restriction on a customer with support needs asks for a senior check
    that adjustments were considered (conduct.hooks.support_needs)."""
    from amends.cases.hooks import case_page_context
    from amends.conduct.hooks import support_needs
    from amends.customers.hooks import customer_merged, customer_notices, customer_page_context
    from amends.process.hooks import worker_steps

    # views, selectors, services and tasks import models, which Django loads only once the registry is ready
    from . import selectors, services, tasks, views

    case_page_context.register(views.case_page_context)
    customer_page_context.register(views.customer_page_context)
    customer_notices.register(selectors.support_needs_notices)
    customer_merged.register(services.support_needs_move_customer)
    worker_steps.register(tasks.worker_steps)
    support_needs.register(selectors.support_needs_summary)
