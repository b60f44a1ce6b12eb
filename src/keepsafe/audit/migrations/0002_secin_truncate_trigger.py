"""Issue 11 §10: TRUNCATE bypassed the row-level append-only trigger and emptied the audit trail on PostgreSQL.

A statement-level trigger refuses it. The test suite's connection sets `keepsafe.audit_truncate = allowed` so that
Django can reset the database between transactional tests (config/settings/test.py); nothing else sets it. Whoever
owns the table can still drop the trigger: in production the application's role must not own it (docs/security.md).
"""

from django.db import migrations

TRUNCATE_SQL = """
CREATE OR REPLACE FUNCTION keepsafe_audit_no_truncate() RETURNS trigger AS $$
BEGIN
    IF coalesce(current_setting('keepsafe.audit_truncate', true), '') = 'allowed' THEN
        RETURN NULL;
    END IF;
    RAISE EXCEPTION 'audit_auditevent is append-only: % is not allowed', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_no_truncate
    BEFORE TRUNCATE ON audit_auditevent
    FOR EACH STATEMENT EXECUTE FUNCTION keepsafe_audit_no_truncate();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS audit_auditevent_no_truncate ON audit_auditevent;
DROP FUNCTION IF EXISTS keepsafe_audit_no_truncate();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRUNCATE_SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
