from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "keepsafe.audit"
    label = "audit"
