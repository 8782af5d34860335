from django.apps import AppConfig

from amends.process.hooks import worker_steps


class IntakeConfig(AppConfig):
    name = "amends.intake"
    label = "intake"

    def ready(self) -> None:
        """The worker (process's) reads the team mailboxes too."""
        from . import tasks  # tasks import models, which Django loads only once the app registry is ready

        worker_steps.register(tasks.worker_steps)
