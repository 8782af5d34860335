from django.apps import AppConfig


class ProcessConfig(AppConfig):
    name = "amends.process"
    label = "process"
    verbose_name = "The complaint process: clocks, investigation, options, authority, promises"
