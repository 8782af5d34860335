from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "amends.insights"
    label = "insights"
    verbose_name = "Insights: complaint levels and rates over time, dashboards, team performance"
