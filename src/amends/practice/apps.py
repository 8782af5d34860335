from django.apps import AppConfig


class PracticeConfig(AppConfig):
    name = "amends.practice"
    label = "practice"
    verbose_name = "Practice: simulated customers (never evidence of performance)"
