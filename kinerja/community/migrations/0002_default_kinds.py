"""The default kinds (docs/rules.md#community-institution-kinds), shared by every city
(editable afterwards)."""

from django.db import migrations

# Frozen copy: a migration must not change when kinerja.community.kinds does.
DEFAULT_KINDS = [
    ("rt", "RT", True),
    ("rw", "RW", True),
    ("lpmk", "LPMK", True),
    ("pkk", "TP PKK", True),
    ("karang-taruna", "Karang Taruna", True),
    ("posyandu", "Posyandu", True),
    ("lembaga-adat", "Lembaga Adat", True),
    ("kelompok-tani", "Kelompok Tani/KWT", False),
    ("umkm", "UMKM", False),
    ("kube", "KUBE", False),
    ("majelis-taklim", "Majelis Taklim", False),
    ("bank-sampah", "Bank Sampah", False),
    ("pokdarwis", "Pokdarwis", False),
    ("kampung-tematik", "Kampung Tematik", False),
    ("lainnya", "Lainnya", False),
]


def create_kinds(apps, schema_editor):
    GroupKind = apps.get_model("community", "GroupKind")
    for order, (code, name, is_institution) in enumerate(DEFAULT_KINDS, start=1):
        GroupKind.objects.get_or_create(
            code=code,
            city=None,
            defaults={"name": name, "is_institution": is_institution, "order": order * 10},
        )


def remove_kinds(apps, schema_editor):
    GroupKind = apps.get_model("community", "GroupKind")
    GroupKind.objects.filter(city=None, code__in=[k[0] for k in DEFAULT_KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("community", "0001_initial")]
    operations = [migrations.RunPython(create_kinds, remove_kinds)]
