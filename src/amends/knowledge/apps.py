from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "amends.knowledge"
    label = "knowledge"
    verbose_name = "Knowledge checks: questions on the standards' knowledge criteria, marked"
