from django.apps import AppConfig


class AssuranceConfig(AppConfig):
    name = "keepsafe.assurance"
    label = "assurance"
