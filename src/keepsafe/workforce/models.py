"""The organisation: regions → probation delivery units (PDUs) → teams → staff, and sign-in accounts."""

from django.contrib.auth.models import AbstractUser
from django.db import models

from keepsafe.core.actor import Role
from keepsafe.workforce.rules.grades import GRADE_LABELS, Grade

GRADE_CHOICES = [(g.value, GRADE_LABELS[g]) for g in Grade]
ROLE_CHOICES = [(r.value, r.label) for r in Role if r is not Role.SYSTEM]


class Region(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)

    def __str__(self) -> str:
        return self.name


class Pdu(models.Model):
    code = models.CharField(max_length=20, unique=True)
    name = models.CharField(max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="pdus")

    class Meta:
        verbose_name = "probation delivery unit"

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    code = models.CharField(max_length=30, unique=True)
    name = models.CharField(max_length=200)
    pdu = models.ForeignKey(Pdu, on_delete=models.PROTECT, related_name="teams")

    def __str__(self) -> str:
        return self.name


class Staff(models.Model):
    code = models.CharField(max_length=20, unique=True)
    forename = models.CharField(max_length=100)
    surname = models.CharField(max_length=100)
    grade = models.CharField(max_length=20, choices=GRADE_CHOICES)
    # Optional: regional staff (an ACO, say) may sit above any one team.
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.PROTECT, related_name="staff")
    line_manager = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports")
    qualified_on = models.DateField(null=True, blank=True)
    contracted_hours = models.DecimalField(max_digits=4, decimal_places=1, default=37)
    email = models.EmailField(blank=True, default="")

    class Meta:
        verbose_name_plural = "staff"

    @property
    def name(self) -> str:
        return f"{self.forename} {self.surname}"

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A sign-in account. Its role decides what it may do; its staff record decides which cases it may see."""

    staff = models.OneToOneField(Staff, null=True, blank=True, on_delete=models.PROTECT, related_name="user")
    role = models.CharField(max_length=30, choices=ROLE_CHOICES, default=Role.PRACTITIONER.value)


# --- issue 15 (helper "work"): staff facts the workload and training rules read (keepsafe.oversight.rules) ---------


class Reduction(models.Model):
    """Hours taken off a member of staff's contracted hours for a published reason (hmpps.md §2c reductions): the
    hours entered, or (hours null) the reason's allowance % of contracted hours. The end date is the last day;
    null: until the reason's expiry, if it has one. Reason codes: oversight/reference/workload.json."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="reductions")
    reason = models.CharField(max_length=40)
    hours = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    start = models.DateField()
    end = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["start", "reason", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__isnull=True) | models.Q(end__gte=models.F("start")), name="reduction_end_after"
            ),
            models.CheckConstraint(
                condition=models.Q(hours__isnull=True) | models.Q(hours__gt=0), name="reduction_hours_positive"
            ),
        ]


class TrainingCompletion(models.Model):
    """A course a member of staff completed (course codes: oversight/reference/training.json)."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="training")
    course = models.CharField(max_length=40)
    completed_on = models.DateField()

    class Meta:
        ordering = ["completed_on", "course", "id"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "course", "completed_on"], name="training_completion_unique")
        ]
