from django.apps import AppConfig


class BenchConfig(AppConfig):
    name = "amends.bench"
    label = "bench"
