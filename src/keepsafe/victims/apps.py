from django.apps import AppConfig


class VictimsConfig(AppConfig):
    name = "keepsafe.victims"
    label = "victims"
    verbose_name = "Victim contact: victim liaison officers' representations on licence conditions"
