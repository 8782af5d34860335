from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "amends.messaging"
    label = "messaging"
