from django.db import migrations

# Case search by part of a CRN, PNC number or name (issue 14 §6, issue 20 §3): on PostgreSQL, trigram GIN indexes
# on the expressions the search compares (Django's icontains/istartswith compare UPPER(column) LIKE UPPER(...)), so
# a partial match is an index scan, not a scan of every person. pg_trgm ships with PostgreSQL (contrib) and is a
# trusted extension: the database owner can create it. SQLite has no trigram index: the same queries scan there.
SQL = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS person_surname_trgm ON people_person USING gin (UPPER(surname::text) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS person_forename_trgm ON people_person USING gin (UPPER(forename::text) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS person_crn_trgm ON people_person USING gin (crn gin_trgm_ops);
CREATE INDEX IF NOT EXISTS person_pnc_trgm ON people_person USING gin (UPPER(pnc::text) gin_trgm_ops);
"""
DROP = """
DROP INDEX IF EXISTS person_surname_trgm;
DROP INDEX IF EXISTS person_forename_trgm;
DROP INDEX IF EXISTS person_crn_trgm;
DROP INDEX IF EXISTS person_pnc_trgm;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(SQL, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("people", "0005_asof_known_required")]
    operations = [migrations.RunPython(forwards, backwards)]
