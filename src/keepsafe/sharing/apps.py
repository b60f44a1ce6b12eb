from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "keepsafe.sharing"
    label = "sharing"
