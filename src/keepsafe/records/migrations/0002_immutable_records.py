from django.db import migrations

SQL = """
CREATE OR REPLACE FUNCTION keepsafe_records_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'records_record rows are immutable once stored'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER records_record_immutable
    BEFORE UPDATE ON records_record
    FOR EACH ROW EXECUTE FUNCTION keepsafe_records_immutable();
"""
DROP = """
DROP TRIGGER IF EXISTS records_record_immutable ON records_record;
DROP FUNCTION IF EXISTS keepsafe_records_immutable();
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("records", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
