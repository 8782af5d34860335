from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "amends.returns"
    label = "returns"
    verbose_name = "Regulatory returns and published reports from the event history (CFACSC7 K5)"

    def ready(self) -> None:
        from amends.cases import hooks as case_hooks

        from . import states

        # Each complaint's stored states are rebuilt from its events after every commit that records one.
        case_hooks.events_recorded.register(states.events_recorded)
