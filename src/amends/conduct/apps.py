from django.apps import AppConfig


class ConductConfig(AppConfig):
    name = "amends.conduct"
    label = "conduct"
    verbose_name = "Conduct: challenging behaviour, the unacceptable-behaviour policy and staff safety"

    def ready(self) -> None:
        from . import wiring  # registers on the lower apps' hooks; imports models, so only once ready

        wiring.register()
