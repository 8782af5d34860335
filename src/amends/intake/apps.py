from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "amends.intake"
    label = "intake"
