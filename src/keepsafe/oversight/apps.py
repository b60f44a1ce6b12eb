from django.apps import AppConfig


class OversightConfig(AppConfig):
    """Issue 15: work goes to someone who can carry it — workload and capacity, allocation with guardrails,
    management oversight touch points, the prioritisation framework, training compliance, the supervisor view."""

    name = "keepsafe.oversight"
    label = "oversight"
