from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "keepsafe.actions"
    label = "actions"

    def ready(self) -> None:
        from keepsafe.actions.receivers import on_case_changed
        from keepsafe.core.signals import case_changed

        case_changed.connect(on_case_changed, dispatch_uid="actions-reconcile")
