from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PeopleConfig(AppConfig):
    name = "keepsafe.people"
    label = "people"

    def ready(self) -> None:
        from keepsafe.people.services import registration_types_sync

        def _sync(sender, using, **kwargs):
            if sender is self:
                registration_types_sync(using=using)

        post_migrate.connect(_sync, weak=False, dispatch_uid="keepsafe.people.registration_types")
