# Signatories, signing dates and LKjIP narratives get translatable names (the audit page shows
# them in Indonesian). Names only: no column changes.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_regency_and_desa_levels'),
        ('reports', '0005_rename_narrative_to_lkjipnarrative'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='lkjipnarrative',
            options={'ordering': ['unit', 'year', 'indicator_code', 'kind'], 'verbose_name': 'LKjIP narrative', 'verbose_name_plural': 'LKjIP narratives'},
        ),
        migrations.AlterModelOptions(
            name='signatory',
            options={'ordering': ['unit', 'role', 'valid_from'], 'verbose_name': 'signatory', 'verbose_name_plural': 'signatories'},
        ),
        migrations.AlterModelOptions(
            name='signingdate',
            options={'ordering': ['unit', 'year', 'kind'], 'verbose_name': 'signing date', 'verbose_name_plural': 'signing dates'},
        ),
        migrations.AlterField(
            model_name='lkjipnarrative',
            name='indicator_code',
            field=models.CharField(blank=True, max_length=40, verbose_name='indicator code'),
        ),
        migrations.AlterField(
            model_name='lkjipnarrative',
            name='kind',
            field=models.CharField(choices=[('causes', 'Causes of success or failure and the solutions taken'), ('programs', 'Programs and activities that supported or hindered'), ('organisation', 'Organisation'), ('issues', 'Strategic issues')], max_length=16, verbose_name='part'),
        ),
        migrations.AlterField(
            model_name='lkjipnarrative',
            name='text',
            field=models.TextField(verbose_name='text'),
        ),
        migrations.AlterField(
            model_name='lkjipnarrative',
            name='unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='narratives', to='accounts.orgunit', verbose_name='unit'),
        ),
        migrations.AlterField(
            model_name='lkjipnarrative',
            name='updated_at',
            field=models.DateTimeField(auto_now=True, verbose_name='updated at'),
        ),
        migrations.AlterField(
            model_name='lkjipnarrative',
            name='updated_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL, verbose_name='updated by'),
        ),
        migrations.AlterField(
            model_name='lkjipnarrative',
            name='year',
            field=models.PositiveSmallIntegerField(verbose_name='year'),
        ),
        migrations.AlterField(
            model_name='signatory',
            name='name',
            field=models.CharField(max_length=200, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='signatory',
            name='nip',
            field=models.CharField(blank=True, max_length=18, verbose_name='NIP'),
        ),
        migrations.AlterField(
            model_name='signatory',
            name='position',
            field=models.CharField(max_length=200, verbose_name='position (jabatan)'),
        ),
        migrations.AlterField(
            model_name='signatory',
            name='rank',
            field=models.CharField(blank=True, max_length=100, verbose_name='rank (pangkat/golongan)'),
        ),
        migrations.AlterField(
            model_name='signatory',
            name='role',
            field=models.CharField(choices=[('head', 'Head of the unit (first party)'), ('superior', 'Superior (second party of the PK)'), ('officer', 'Officer of the unit (first party of a Sekcam/Kasi PK)')], max_length=16, verbose_name='role'),
        ),
        migrations.AlterField(
            model_name='signatory',
            name='unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signatories', to='accounts.orgunit', verbose_name='unit'),
        ),
        migrations.AlterField(
            model_name='signatory',
            name='valid_from',
            field=models.DateField(verbose_name='valid from'),
        ),
        migrations.AlterField(
            model_name='signatory',
            name='valid_to',
            field=models.DateField(blank=True, null=True, verbose_name='valid until'),
        ),
        migrations.AlterField(
            model_name='signingdate',
            name='date',
            field=models.DateField(verbose_name='date'),
        ),
        migrations.AlterField(
            model_name='signingdate',
            name='kind',
            field=models.CharField(choices=[('pk', 'Performance agreement (PK)'), ('lkjip', 'Performance report (LKjIP)'), ('skm', 'Satisfaction survey report (SKM)')], max_length=8, verbose_name='document'),
        ),
        migrations.AlterField(
            model_name='signingdate',
            name='place',
            field=models.CharField(blank=True, max_length=100, verbose_name='place'),
        ),
        migrations.AlterField(
            model_name='signingdate',
            name='unit',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='signing_dates', to='accounts.orgunit', verbose_name='unit'),
        ),
        migrations.AlterField(
            model_name='signingdate',
            name='year',
            field=models.PositiveSmallIntegerField(verbose_name='year'),
        ),
    ]
