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

        # issue 20 §2 (helper "sweep"): who holds or may see a case changed: the incremental sweep must visit it.
        from django.db.models.signals import post_delete, post_save

        from keepsafe.actions.receivers import on_case_access_changed, on_person_saved
        from keepsafe.people.models import CaseAccess, Person

        post_save.connect(on_person_saved, sender=Person, dispatch_uid="actions-dirty-person")
        post_save.connect(on_case_access_changed, sender=CaseAccess, dispatch_uid="actions-dirty-access")
        post_delete.connect(on_case_access_changed, sender=CaseAccess, dispatch_uid="actions-dirty-access-gone")
