from django.apps import AppConfig

from amends.process.hooks import worker_steps


class ImprovementConfig(AppConfig):
    name = "amends.improvement"
    label = "improvement"
    verbose_name = "Improvement: root causes, Plan-Do-Check-Act actions, lessons learned (CFACSC7 3, 10)"

    def ready(self) -> None:
        """The worker (process's) reminds the owners of overdue improvement actions."""
        from . import (
            services,
        )  # services import models, which Django loads only once the app registry is ready

        worker_steps.register(services.worker_steps)
