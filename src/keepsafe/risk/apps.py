from django.apps import AppConfig


class RiskConfig(AppConfig):
    name = "keepsafe.risk"
    label = "risk"
