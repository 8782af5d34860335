from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "amends.monitoring"
    label = "monitoring"
    verbose_name = "Special reviews: statistical process control on complaint levels (CFACSC7 K1)"
