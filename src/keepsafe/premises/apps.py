from django.apps import AppConfig


class PremisesConfig(AppConfig):
    name = "keepsafe.premises"
    label = "premises"
    verbose_name = "Approved premises referrals (issue 16 §5)"
