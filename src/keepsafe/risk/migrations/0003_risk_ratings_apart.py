"""Issue 12 §1: custody ratings had overwritten community ones when the overall level was worked out.

Stored ratings keep their shape except that "not rated in custody" is now `null` (was `{}` from some writers). The
overall level of every assessment is recomputed as the highest across community AND custody; where that raises the
level a case's RoSH rests on, the raise takes effect (a raise never waits) and is written to the level's history.
"""

from django.db import migrations
from django.utils import timezone

ORDER = ["LOW", "MEDIUM", "HIGH", "VERY_HIGH"]


def _highest(rosh):
    levels = [lv for setting in ("community", "custody") for lv in ((rosh or {}).get(setting) or {}).values()]
    levels = [lv for lv in levels if lv in ORDER]
    return max(levels, key=ORDER.index) if levels else None


def forwards(apps, schema_editor):
    Assessment = apps.get_model("risk", "Assessment")
    CaseRisk = apps.get_model("risk", "CaseRisk")
    RiskLevelChange = apps.get_model("risk", "RiskLevelChange")
    raised: dict[int, str] = {}
    for a in Assessment.objects.exclude(rosh={}).iterator():
        rosh = dict(a.rosh)
        fields = []
        if "custody" in rosh and not rosh["custody"]:
            rosh["custody"] = None
            a.rosh = rosh
            fields.append("rosh")
        top = _highest(rosh)
        if top and top != a.overall:
            a.overall = top
            fields.append("overall")
            raised[a.pk] = top
        if fields:
            a.save(update_fields=fields)
    now = timezone.now()
    for risk in CaseRisk.objects.filter(assessment_id__in=raised):
        new = raised[risk.assessment_id]
        if risk.level in ORDER and ORDER.index(new) <= ORDER.index(risk.level):
            continue
        RiskLevelChange.objects.create(
            person_id=risk.person_id,
            assessment_id=risk.assessment_id,
            at=now,
            by="migration",
            previous=risk.level,
            new=new,
            effective=True,
            reason="Overall recomputed as the highest of community and custody ratings (custody ratings had "
            "overwritten community ones)",
        )
        risk.level = new
        risk.save(update_fields=["level"])
    for risk in CaseRisk.objects.filter(pending_assessment_id__in=raised):
        risk.pending_level = raised[risk.pending_assessment_id]
        risk.save(update_fields=["pending_level"])


class Migration(migrations.Migration):
    dependencies = [("risk", "0002_risk_previous_level")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
