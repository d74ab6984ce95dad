# The history of the quarterly narratives follows their model's new name (monitoring's
# QuarterNarrative); the history rows are kept. Audit entries already written keep the record type
# they were hashed with, "monitoring.narrative" (see tracked.py, former labels).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("audit", "0017_historical_signatory_officer_role"),
        ("monitoring", "0002_rename_narrative_to_quarternarrative"),
    ]

    operations = [
        migrations.RenameModel(old_name="HistoricalNarrative", new_name="HistoricalQuarterNarrative"),
    ]
