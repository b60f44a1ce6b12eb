from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "keepsafe.web"
    label = "web"
