from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "amends.assessment"
    label = "assessment"
    verbose_name = "Assessment: the competence record (observations, evidence, portfolios, sign-off, IQA)"

    def ready(self) -> None:
        _register_pages()
        _register_capture()


def _register_pages() -> None:
    """The case page shows the observations its reader may see, and an assessor the form to record one."""
    from amends.cases.hooks import case_page_context

    from . import views  # views import models, which Django loads only once the app registry is ready

    case_page_context.register(views.case_page_context)


def _register_capture() -> None:
    """Evidence from real work: a learner's case events as they are recorded, and their colleague alerts."""
    from amends.cases.hooks import events_recorded
    from amends.customers.hooks import colleague_alert_raised

    from . import evidence

    events_recorded.register(evidence.events_recorded)
    colleague_alert_raised.register(evidence.alert_raised)
