from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "amends.monitoring"
    label = "monitoring"
    verbose_name = "Special reviews: statistical process control on complaint levels (CFACSC7 K1)"

    def ready(self) -> None:
        _register()


def _register() -> None:
    """The worker checks complaint levels once a day and opens the special reviews they call for."""
    from amends.process.hooks import worker_steps

    from . import tasks  # loads models, which Django has only once the registry is ready

    worker_steps.register(tasks.worker_steps)
