from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "amends.returns"
    label = "returns"
    verbose_name = "Regulatory returns and published reports from the event history (CFACSC7 K5)"
