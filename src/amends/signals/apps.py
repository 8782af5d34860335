from django.apps import AppConfig


class SignalsConfig(AppConfig):
    name = "amends.signals"
    label = "signals"
    verbose_name = "Signals and the reply coach"
