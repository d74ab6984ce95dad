# The LKjIP's narratives get a name of their own: the quarterly narratives are another model
# (monitoring.QuarterNarrative). Rows, constraints and the table's data are kept.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0004_pk_versions_and_officer_signatories"),
    ]

    operations = [
        migrations.RenameModel(old_name="Narrative", new_name="LkjipNarrative"),
    ]
