from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "amends.cases"
    label = "cases"
