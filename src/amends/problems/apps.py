from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "amends.problems"
    label = "problems"
    verbose_name = "Repeated problems: similar contacts grouped into owned problem records (WM57 2-4)"
