# Drops the single-column indexes of Response.service and Response.unit: the (service, day)
# and (unit, day) indexes start with the same columns and serve the same lookups, and every
# insert paid for two more indexes. Plain DROP INDEX on both engines: Django's own AlterField
# would rebuild the whole responses table on SQLite (twice), hours on a province's data.

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "surveys_response_service_id_d192aed9": "service_id",
    "surveys_response_unit_id_7ef6f234": "unit_id",
}


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_city_label"),
        ("surveys", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="response",
                    name="service",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="responses",
                        to="surveys.service",
                    ),
                ),
                migrations.AlterField(
                    model_name="response",
                    name="unit",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="survey_responses",
                        to="accounts.orgunit",
                    ),
                ),
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    f'CREATE INDEX "{name}" ON "surveys_response" ("{column}")',
                )
                for name, column in INDEXES.items()
            ],
        ),
    ]
