"""Process heartbeats: the background worker says it is alive, so `/health` can tell an operator when it is not."""

from __future__ import annotations

from django.db import models


class Heartbeat(models.Model):
    """One row per kind of process (`worker`); `beat_at` is the last time one of them was alive. No personal data."""

    name = models.CharField(max_length=40, unique=True)
    beat_at = models.DateTimeField()
    details = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.name} at {self.beat_at:%Y-%m-%d %H:%M:%S}"
