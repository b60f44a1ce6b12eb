from typing import Any

from django.apps import AppConfig
from django.db import connections
from django.db.models.signals import post_migrate


def _scan_state_after_migrate(sender: AppConfig, using: str = "default", **kwargs: Any) -> None:
    """After every `migrate` (and a test database's flush): the scan state's row exists (services.scan_state_ensure)."""
    from keepsafe.records.models import ScanState
    from keepsafe.records.services import scan_state_ensure

    if using != "default" or ScanState._meta.db_table not in connections[using].introspection.table_names():
        return
    scan_state_ensure()


class RecordsConfig(AppConfig):
    name = "keepsafe.records"
    label = "records"

    def ready(self) -> None:
        from keepsafe.records import checks  # noqa: F401 (registers the system check)

        post_migrate.connect(_scan_state_after_migrate, sender=self, dispatch_uid="records-scan-state")
