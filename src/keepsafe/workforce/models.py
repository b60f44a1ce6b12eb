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
