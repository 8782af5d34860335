from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "amends.insights"
    label = "insights"
    verbose_name = "Insights: complaint levels and rates over time, dashboards, team performance"

    def ready(self):
        from amends.cases import hooks as case_hooks

        from . import facts

        case_hooks.events_recorded.register(facts.events_recorded)
