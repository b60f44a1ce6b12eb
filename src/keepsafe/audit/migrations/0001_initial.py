from django.db import migrations, models

APPEND_ONLY_SQL = """
CREATE OR REPLACE FUNCTION keepsafe_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_auditevent is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION keepsafe_audit_append_only();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS keepsafe_audit_append_only();
"""


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(APPEND_ONLY_SQL, params=None)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    initial = True
    dependencies = []

    operations = [
        migrations.CreateModel(
            name="AuditEvent",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("at", models.DateTimeField(db_index=True)),
                ("actor", models.CharField(max_length=150)),
                ("actor_staff_code", models.CharField(max_length=20, null=True)),
                ("actor_role", models.CharField(max_length=30)),
                ("channel", models.CharField(max_length=10)),
                ("action", models.CharField(max_length=60)),
                ("crn", models.CharField(max_length=7, null=True)),
                (
                    "outcome",
                    models.CharField(
                        choices=[("OK", "Ok"), ("DENIED", "Denied"), ("NOT_FOUND", "Not Found")],
                        default="OK",
                        max_length=10,
                    ),
                ),
                ("details", models.JSONField(default=dict)),
                ("correlation_id", models.CharField(max_length=36, null=True)),
            ],
            options={
                "ordering": ["-at", "-id"],
                "indexes": [
                    models.Index(fields=["crn", "at"], name="audit_crn_at"),
                    models.Index(fields=["actor", "at"], name="audit_actor_at"),
                ],
            },
        ),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
