from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "amends.core"
    label = "core"
    verbose_name = "Amends core: staff, teams, roles, audit"
