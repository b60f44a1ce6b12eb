from django.apps import AppConfig


class CourtConfig(AppConfig):
    name = "keepsafe.court"
    label = "court"
    verbose_name = "Before sentence: court stage, pre-sentence report, address suitability"
