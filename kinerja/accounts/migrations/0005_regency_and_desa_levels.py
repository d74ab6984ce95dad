"""Two more org unit levels: regency (kabupaten) beside city, desa beside kelurahan.

Adding choices changes no column and no stored value, so going forward keeps every row as it
is. Going back, the older code knows neither level: a regency becomes a city and a desa a
kelurahan (their nearest equivalents), so every row keeps a level the older code can read.
"""

from django.db import migrations, models

# The new level, and the old level it falls back to when the migration is undone.
FALLBACK = {"regency": "city", "desa": "kelurahan"}


def back_to_old_levels(apps, schema_editor):
    OrgUnit = apps.get_model("accounts", "OrgUnit")
    for new, old in FALLBACK.items():
        OrgUnit.objects.filter(level=new).update(level=old)


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0004_two_factor_on_django_otp"),
    ]

    operations = [
        migrations.AlterField(
            model_name="orgunit",
            name="level",
            field=models.CharField(
                choices=[
                    ("province", "Province"),
                    ("city", "City"),
                    ("kecamatan", "Kecamatan"),
                    ("kelurahan", "Kelurahan"),
                    ("regency", "Regency"),
                    ("desa", "Desa"),
                ],
                max_length=20,
                verbose_name="level",
            ),
        ),
        migrations.RunPython(migrations.RunPython.noop, back_to_old_levels),
    ]
