"""Every flag history entry now says from when it was known and what the flag was (backfilled by 0004)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("people", "0004_asof_backfill")]

    operations = [
        migrations.AlterField(model_name="registrationhistory", name="known_from", field=models.DateTimeField()),
        migrations.AlterField(model_name="registrationhistory", name="start", field=models.DateField()),
    ]
