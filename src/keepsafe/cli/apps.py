from django.apps import AppConfig


class CliConfig(AppConfig):
    name = "keepsafe.cli"
    label = "cli"
