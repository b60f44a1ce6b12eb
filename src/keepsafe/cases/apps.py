from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "keepsafe.cases"
    label = "cases"
