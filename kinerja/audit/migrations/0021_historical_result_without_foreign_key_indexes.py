# Drops the history table's single-column indexes of Result.plan, .indicator and .unit: history
# rows are read by the result's id and the date, and a city's recompute writes ~47 000 of them,
# each paying three more index writes. Plain DROP INDEX on both engines: Django's own AlterField
# would rebuild the whole history table on SQLite, three times.

import django.db.models.deletion
from django.db import migrations, models

INDEXES = {
    "audit_historicalresult_indicator_id_af9f08f2": ("indicator", "indicator_id", "plan.indicator"),
    "audit_historicalresult_plan_id_a91c7caf": ("plan", "plan_id", "plan.plan"),
    "audit_historicalresult_unit_id_0f668f0e": ("unit", "unit_id", "accounts.orgunit"),
}


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_regency_and_desa_levels"),
        ("audit", "0020_history_names_of_signatories_signing_dates_narratives"),
        ("plan", "0004_plan_continues_crosswalk"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="historicalresult",
                    name=name,
                    field=models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to=target,
                    ),
                )
                for name, _, target in INDEXES.values()
            ],
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{index}"',
                    f'CREATE INDEX "{index}" ON "audit_historicalresult" ("{column}")',
                )
                for index, (_, column, _) in INDEXES.items()
            ],
        ),
    ]
