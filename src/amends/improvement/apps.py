from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "amends.improvement"
    label = "improvement"
    verbose_name = "Improvement: root causes, Plan-Do-Check-Act actions, lessons learned (CFACSC7 3, 10)"
