from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "keepsafe.core"
    label = "core"
