from django.apps import AppConfig


class WorkforceConfig(AppConfig):
    name = "keepsafe.workforce"
    label = "workforce"
