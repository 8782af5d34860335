from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "amends.assessment"
    label = "assessment"
    verbose_name = "Assessment: observations of the work against the standards' criteria"

    def ready(self) -> None:
        _register_pages()


def _register_pages() -> None:
    """The case page shows the observations its reader may see, and an assessor the form to record one."""
    from amends.cases.hooks import case_page_context

    from . import views  # views import models, which Django loads only once the app registry is ready

    case_page_context.register(views.case_page_context)
