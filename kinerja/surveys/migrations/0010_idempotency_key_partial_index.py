"""The idempotency key's unique index holds only the rows that have a key (web forms, the API).

Imported, paper and generated rows have none; each wrote a NULL entry into a whole-table unique
index, and on PostgreSQL into the pattern index Django adds beside a unique text column too.
On SQLite the column's UNIQUE can only go with the table, so this migration rebuilds the response
table (minutes for ten million rows), which drops the table's planner statistics: a database
that had statistics gets them again at the end (``kinerja.db.loading.restore_statistics``). On
PostgreSQL it drops two indexes and builds one, and the statistics stay.
"""

from typing import Any

from django.db import migrations, models

from kinerja.db.loading import restore_statistics


def gather_statistics(apps: Any, schema_editor: Any) -> None:
    table = apps.get_model("surveys", "Response")._meta.db_table
    restore_statistics(schema_editor.connection, table)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_regency_and_desa_levels"),
        ("surveys", "0009_worker_beat"),
    ]

    operations = [
        migrations.AlterField(
            model_name="response",
            name="idempotency_key",
            field=models.CharField(blank=True, max_length=80, null=True),
        ),
        migrations.AddConstraint(
            model_name="response",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key__isnull", False)),
                fields=("idempotency_key",),
                name="survey_resp_idempotency_key",
            ),
        ),
        migrations.RunPython(gather_statistics, migrations.RunPython.noop),
    ]
