# The quarterly narrative gets a name of its own: the LKjIP's narratives are another model
# (reports.LkjipNarrative). Rows, constraints and the table's data are kept.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("monitoring", "0001_renaksi_and_quarterly_reports"),
    ]

    operations = [
        migrations.RenameModel(old_name="Narrative", new_name="QuarterNarrative"),
    ]
