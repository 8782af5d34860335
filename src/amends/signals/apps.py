from django.apps import AppConfig

from amends.cases import hooks
from amends.letters.hooks import draft_readers
from amends.messaging.hooks import contact_logged


class SignalsConfig(AppConfig):
    name = "amends.signals"
    label = "signals"
    verbose_name = "Signals and the reply coach"

    def ready(self) -> None:
        _register_pages()
        _register_contacts()


def _register_pages() -> None:
    """The case page shows a case's signals, and the queue filters by them: cases asks through its hooks.
    The coach reads draft letters beside their preview: letters asks through its hook."""
    from . import views  # views import models, which Django loads only once the app registry is ready

    hooks.case_page_context.register(views.case_page_context)
    hooks.queue_filters.register(views.READS_LIKE_COMPLAINT)
    draft_readers.register(views.coach_letter)


def _register_contacts() -> None:
    """An adviser's note of a call or a visit is analysed like any message: messaging calls its hook."""
    from .services import signals_contact_logged  # services import models: loaded once the registry is

    contact_logged.register(signals_contact_logged)
