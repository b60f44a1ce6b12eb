from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "keepsafe.actions"
    label = "actions"

    def ready(self) -> None:
        from keepsafe.actions.receivers import on_case_changed
        from keepsafe.core.signals import case_changed

        case_changed.connect(on_case_changed, dispatch_uid="actions-reconcile")

        # issue 14 §3 (helper "flags"): new information on a case notifies who holds it, where it is stored.
        from keepsafe.actions.services.notify import information_notify
        from keepsafe.core.signals import information_arrived

        information_arrived.connect(information_notify, dispatch_uid="actions-new-information")
