from django.apps import AppConfig


class LettersConfig(AppConfig):
    name = "amends.letters"
    label = "letters"
