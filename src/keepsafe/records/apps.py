from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "keepsafe.records"
    label = "records"
