from django.apps import AppConfig

from amends.cases.hooks import case_page_context
from amends.process.hooks import worker_steps


class ImprovementConfig(AppConfig):
    name = "amends.improvement"
    label = "improvement"
    verbose_name = "Improvement: root causes, Plan-Do-Check-Act actions, lessons learned (CFACSC7 3, 10)"

    def ready(self) -> None:
        """The worker (process's) reminds the owners of overdue improvement actions; the case page offers
        to share a lesson learned from the case."""
        # services and views import models, which Django loads only once the app registry is ready
        from . import services, views

        worker_steps.register(services.worker_steps)
        case_page_context.register(views.case_page_context)
