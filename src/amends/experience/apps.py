from django.apps import AppConfig


class ExperienceConfig(AppConfig):
    name = "amends.experience"
    label = "experience"
    verbose_name = "The customer's view: their story across their cases, as they lived it"

    def ready(self) -> None:
        _register_pages()


def _register_pages() -> None:
    """The customer page and the case page link to the customer's story (no query: a link only)."""
    from amends.cases.hooks import case_page_context
    from amends.customers.hooks import customer_page_context

    from . import views  # views import models, which Django loads only once the app registry is ready

    customer_page_context.register(views.customer_page_context)
    case_page_context.register(views.case_page_context)
