from django.db import migrations

# A stored case document never changes (issue 14 §5): the database refuses an UPDATE, whatever the code path
# (CaseDocument.save refuses it in Python first). Same pattern as records/0002_immutable_records.
SQL = {
    "postgresql": """
CREATE OR REPLACE FUNCTION keepsafe_casedocument_immutable() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'cases_casedocument rows are immutable once stored'
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER cases_casedocument_immutable
    BEFORE UPDATE ON cases_casedocument
    FOR EACH ROW EXECUTE FUNCTION keepsafe_casedocument_immutable();
""",
    "sqlite": """
CREATE TRIGGER cases_casedocument_immutable BEFORE UPDATE ON cases_casedocument
BEGIN SELECT RAISE(ABORT, 'cases_casedocument rows are immutable once stored'); END;
""",
}
DROP = {
    "postgresql": """
DROP TRIGGER IF EXISTS cases_casedocument_immutable ON cases_casedocument;
DROP FUNCTION IF EXISTS keepsafe_casedocument_immutable();
""",
    "sqlite": "DROP TRIGGER IF EXISTS cases_casedocument_immutable;",
}


def forwards(apps, schema_editor):
    if sql := SQL.get(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


def backwards(apps, schema_editor):
    if sql := DROP.get(schema_editor.connection.vendor):
        schema_editor.execute(sql, params=None)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_recall_case_documents")]
    operations = [migrations.RunPython(forwards, backwards)]
