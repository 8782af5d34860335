from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "amends.problems"
    label = "problems"
    verbose_name = "Repeated problems: similar contacts grouped into owned problem records (WM57 2-4)"

    def ready(self) -> None:
        from amends.intake.hooks import messages_stored
        from amends.process.hooks import worker_steps

        from . import services, wiring

        messages_stored.register(wiring.arrived)
        worker_steps.register(services.worker_steps)  # the re-learning left for the worker
