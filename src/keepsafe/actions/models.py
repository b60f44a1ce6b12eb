"""Safety actions, their logs and notifications; the recall workflow and the decisions that satisfy actions."""

from django.db import models
from django.db.models import F, Q

from keepsafe.actions.rules.recall import Decision, RecallType
from keepsafe.actions.rules.release import Item
from keepsafe.actions.rules.supervision import EnforcementDecision as DecisionKind
from keepsafe.actions.rules.types import ActionType
from keepsafe.people.models import Contact, Event, Person
from keepsafe.workforce.models import Staff

TYPE_CHOICES = [(t.value, t.value) for t in ActionType]


class Action(models.Model):
    """One safety action. `key` names its subject (say, one failure to attend), so re-evaluating finds it again:
    the (person, key) constraint is what makes the reconciler idempotent, even across a crash or two workers."""

    class Status(models.TextChoices):
        OPEN = "OPEN"
        DONE = "DONE"
        CANCELLED = "CANCELLED"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="actions")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="actions")
    type = models.CharField(max_length=30, choices=TYPE_CHOICES)
    key = models.CharField(max_length=200)
    title = models.CharField(max_length=300)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    owner = models.ForeignKey(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="actions")
    owner_role = models.CharField(max_length=10)
    owner_set_by_hand = models.BooleanField(default=False)
    opens_at = models.DateTimeField()
    due = models.DateTimeField()
    created_at = models.DateTimeField()  # the instant of the sweep (or change) that created it
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.CharField(max_length=150, blank=True, default="")
    evidence = models.JSONField(null=True, blank=True)  # {kind, ref, at, summary, notes}
    cancel_reason = models.TextField(blank=True, default="")
    evidence_needed = models.TextField(blank=True, default="")
    escalation_level = models.PositiveSmallIntegerField(default=0)
    chain = models.JSONField(default=list)  # [{"step", "staff"}] who it escalates to, in order
    reminders = models.JSONField(default=dict)  # the reminder plan, for display
    last_reminded_slot = models.DateTimeField(null=True, blank=True)
    detail = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "key"], name="action_unique_key"),
            models.CheckConstraint(
                condition=Q(status="OPEN", closed_at__isnull=True) | (~Q(status="OPEN") & Q(closed_at__isnull=False)),
                name="action_closed_when_not_open",
            ),
            models.CheckConstraint(
                condition=~Q(status="CANCELLED") | ~Q(cancel_reason=""), name="action_cancel_needs_reason"
            ),
            models.CheckConstraint(
                condition=~Q(status="DONE") | Q(evidence__isnull=False), name="action_done_evidence"
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due"], name="action_status_due"),
            models.Index(fields=["created_at"], name="action_created"),  # assurance: when the first sweep ran
            models.Index(fields=["owner", "status"], name="action_owner_status"),
            models.Index(fields=["person", "status"], name="action_person_status"),
        ]
        ordering = ["due", "id"]

    def is_open_at(self, as_of) -> bool:
        """Open as the service had it at `as_of` (the row-by-row form of actions.selectors.open_at)."""
        return self.created_at <= as_of and (self.closed_at is None or self.closed_at > as_of)


class ActionLog(models.Model):
    """What happened to an action, in order: the trail a manager or an inquiry reads."""

    class Kind(models.TextChoices):
        CREATED = "CREATED"
        REMINDED = "REMINDED"
        ESCALATED = "ESCALATED"
        DUE_CHANGED = "DUE_CHANGED"
        REASSIGNED = "REASSIGNED"
        DONE = "DONE"
        CANCELLED = "CANCELLED"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="log")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    at = models.DateTimeField()
    by = models.CharField(max_length=150)
    to = models.JSONField(default=list)  # staff codes told
    slot = models.DateTimeField(null=True, blank=True)  # REMINDED: which reminder instant this was
    level = models.PositiveSmallIntegerField(null=True, blank=True)  # ESCALATED: the level reached
    notes = models.TextField(blank=True, default="")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["action", "slot"], condition=Q(kind="REMINDED"), name="actionlog_one_reminder_per_slot"
            ),
            models.UniqueConstraint(
                fields=["action", "level"], condition=Q(kind="ESCALATED"), name="actionlog_one_escalation_per_level"
            ),
        ]
        ordering = ["at", "id"]


class Notification(models.Model):
    """An email waiting to go (outbox): written in the same transaction as the log entry it reports, sent after.

    `cases` names every case the email mentions, so whether its recipient may still see them is checked again when
    it is sent; a worker claims a notification (`claimed_by`) before sending it, so two workers never send it twice.
    Waiting: neither `sent_at` nor `failed_at`. `failed_at`: given up (bad address, withheld, too many attempts)."""

    class Kind(models.TextChoices):
        REMINDER = "REMINDER"
        ESCALATION = "ESCALATION"
        DIGEST = "DIGEST"
        NEW_INFORMATION = "NEW_INFORMATION"  # issue 14 §3: a record arrived on a case the recipient holds
        TRANSFER = "TRANSFER"  # issue 16 §2 (helper "transfer"): a case transferred to or from the recipient

    recipient = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, default="")
    cases = models.JSONField(default=list)  # ids of the people (cases) the email names
    parts = models.JSONField(default=dict)  # a digest's lines by case, to leave out a case the recipient lost sight of
    claimed_by = models.CharField(max_length=64, blank=True, default="")
    claimed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    failed_at = models.DateTimeField(null=True, blank=True)
    # issue 14 §3 (helper "flags"): the notifications page in Keepsafe; unread until its recipient marks it read.
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["sent_at"], name="notification_unsent"),
            models.Index(fields=["recipient", "read_at"], name="notification_inbox"),
        ]
        ordering = ["created_at", "id"]


class Recall(models.Model):
    """A recall from consideration to execution (make-recall-decision workflow, hmpps.md §3)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="recalls")
    event = models.ForeignKey(Event, null=True, blank=True, on_delete=models.SET_NULL, related_name="recalls")
    external_id = models.CharField(max_length=64)
    considered_at = models.DateTimeField()
    considered_by = models.CharField(max_length=150)
    reasons = models.JSONField(default=list)  # RISK_INCREASED, CONTACT_STOPPED
    concerns = models.TextField(blank=True, default="")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.CharField(max_length=150, blank=True, default="")
    decision = models.CharField(max_length=10, choices=[(d.value, d.value) for d in Decision], null=True, blank=True)
    recall_type = models.CharField(
        max_length=10, choices=[(t.value, t.value) for t in RecallType], null=True, blank=True
    )
    emergency = models.BooleanField(null=True)
    rationale = models.TextField(blank=True, default="")
    part_a = models.JSONField(default=dict)
    part_a_completed_at = models.DateTimeField(null=True, blank=True)
    part_a_by = models.JSONField(default=list)  # staff codes of everyone who wrote any of Part A (two-person rule)
    spo_signed_at = models.DateTimeField(null=True, blank=True)
    spo_signed_by = models.CharField(max_length=150, blank=True, default="")
    aco_signed_at = models.DateTimeField(null=True, blank=True)
    aco_signed_by = models.CharField(max_length=150, blank=True, default="")
    sent_to_ppcs_at = models.DateTimeField(null=True, blank=True)
    sent_to_ppcs_by = models.CharField(max_length=150, blank=True, default="")
    revoked_at = models.DateTimeField(null=True, blank=True)
    executed_at = models.DateTimeField(null=True, blank=True)
    executed_notes = models.TextField(blank=True, default="")
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.CharField(max_length=150, blank=True, default="")
    cancel_reason = models.TextField(blank=True, default="")
    letter = models.JSONField(default=dict)  # decision not to recall: {expectations, next_appointment, text}

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "external_id"], name="recall_unique_id")]
        ordering = ["-considered_at", "-id"]


class EnforcementDecisionRecord(models.Model):
    """The decision after a failure to attend: warning, breach action or recall consideration."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="enforcement_decisions")
    contact = models.OneToOneField(Contact, on_delete=models.CASCADE, related_name="enforcement_decision")
    decision = models.CharField(max_length=25, choices=[(d.value, d.value) for d in DecisionKind])
    at = models.DateTimeField()
    by = models.CharField(max_length=150)
    notes = models.TextField()


class ReleasePlanConfirmation(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="release_plan_confirmations")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="release_plan_confirmations")
    item = models.CharField(max_length=20, choices=[(i.value, i.value) for i in Item])
    at = models.DateTimeField()
    by = models.CharField(max_length=150)
    notes = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "item"], name="release_plan_item_once")]


class SweepRun(models.Model):
    """One sweep over every case. `period` makes a scheduled sweep happen once per period however many workers run;
    `cursor` is the last case finished, so a sweep restarted after a crash carries on rather than starting over."""

    period = models.CharField(max_length=40, unique=True, null=True, blank=True)
    as_of = models.DateTimeField(null=True, blank=True)  # None: live (the clock at each case)
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    cursor = models.BigIntegerField(default=0)
    cases = models.PositiveIntegerField(default=0)
    full = models.BooleanField(default=True)  # issue 20 §2: False visits only dirty and due cases (CaseSweep)


# --- issue 20 §2 (helper "sweep"): the incremental sweep's per-case state --------------------------------------------
class CaseSweep(models.Model):
    """Whether a case must be visited by the next incremental sweep. Dirty (`marks > seen_marks`, or no row at all):
    a write that can change its facts bumped `marks` in the write's own transaction (actions/services/dirty.py), after
    the last reconcile read it. Due: `next_due_at` (rules/next_change.py) has come. A reconcile records the `marks`
    it read before reading the facts as `seen_marks`, so a write that lands while it runs keeps the case dirty."""

    person = models.OneToOneField(Person, primary_key=True, on_delete=models.CASCADE, related_name="sweep_state")
    marks = models.BigIntegerField(default=1)
    seen_marks = models.BigIntegerField(default=0)
    next_due_at = models.DateTimeField(null=True, blank=True)  # None: never reconciled

    class Meta:
        indexes = [
            models.Index(fields=["next_due_at"], name="casesweep_next_due"),
            models.Index(fields=["person"], condition=Q(marks__gt=F("seen_marks")), name="casesweep_dirty"),
        ]


# --- end issue 20 §2 ------------------------------------------------------------------------------------------------


class DigestRun(models.Model):
    """The SPOs' daily digest, once per day."""

    day = models.DateField(unique=True)
    sent_at = models.DateTimeField()
    recipients = models.PositiveIntegerField(default=0)
