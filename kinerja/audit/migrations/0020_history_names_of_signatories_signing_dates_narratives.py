# The history tables of signatories, signing dates and LKjIP narratives follow their models'
# translatable names (reports 0006). Names only: no column changes.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0005_regency_and_desa_levels'),
        ('audit', '0019_history_of_lkjip_narratives'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='historicallkjipnarrative',
            options={'get_latest_by': ('history_date', 'history_id'), 'ordering': ('-history_date', '-history_id'), 'verbose_name': 'historical LKjIP narrative', 'verbose_name_plural': 'historical LKjIP narratives'},
        ),
        migrations.AlterModelOptions(
            name='historicalsignatory',
            options={'get_latest_by': ('history_date', 'history_id'), 'ordering': ('-history_date', '-history_id'), 'verbose_name': 'historical signatory', 'verbose_name_plural': 'historical signatories'},
        ),
        migrations.AlterField(
            model_name='historicallkjipnarrative',
            name='indicator_code',
            field=models.CharField(blank=True, max_length=40, verbose_name='indicator code'),
        ),
        migrations.AlterField(
            model_name='historicallkjipnarrative',
            name='kind',
            field=models.CharField(choices=[('causes', 'Causes of success or failure and the solutions taken'), ('programs', 'Programs and activities that supported or hindered'), ('organisation', 'Organisation'), ('issues', 'Strategic issues')], max_length=16, verbose_name='part'),
        ),
        migrations.AlterField(
            model_name='historicallkjipnarrative',
            name='text',
            field=models.TextField(verbose_name='text'),
        ),
        migrations.AlterField(
            model_name='historicallkjipnarrative',
            name='unit',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.orgunit', verbose_name='unit'),
        ),
        migrations.AlterField(
            model_name='historicallkjipnarrative',
            name='updated_at',
            field=models.DateTimeField(blank=True, editable=False, verbose_name='updated at'),
        ),
        migrations.AlterField(
            model_name='historicallkjipnarrative',
            name='updated_by',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='updated by'),
        ),
        migrations.AlterField(
            model_name='historicallkjipnarrative',
            name='year',
            field=models.PositiveSmallIntegerField(verbose_name='year'),
        ),
        migrations.AlterField(
            model_name='historicalsignatory',
            name='name',
            field=models.CharField(max_length=200, verbose_name='name'),
        ),
        migrations.AlterField(
            model_name='historicalsignatory',
            name='nip',
            field=models.CharField(blank=True, max_length=18, verbose_name='NIP'),
        ),
        migrations.AlterField(
            model_name='historicalsignatory',
            name='position',
            field=models.CharField(max_length=200, verbose_name='position (jabatan)'),
        ),
        migrations.AlterField(
            model_name='historicalsignatory',
            name='rank',
            field=models.CharField(blank=True, max_length=100, verbose_name='rank (pangkat/golongan)'),
        ),
        migrations.AlterField(
            model_name='historicalsignatory',
            name='role',
            field=models.CharField(choices=[('head', 'Head of the unit (first party)'), ('superior', 'Superior (second party of the PK)'), ('officer', 'Officer of the unit (first party of a Sekcam/Kasi PK)')], max_length=16, verbose_name='role'),
        ),
        migrations.AlterField(
            model_name='historicalsignatory',
            name='unit',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.orgunit', verbose_name='unit'),
        ),
        migrations.AlterField(
            model_name='historicalsignatory',
            name='valid_from',
            field=models.DateField(verbose_name='valid from'),
        ),
        migrations.AlterField(
            model_name='historicalsignatory',
            name='valid_to',
            field=models.DateField(blank=True, null=True, verbose_name='valid until'),
        ),
        migrations.AlterField(
            model_name='historicalsigningdate',
            name='date',
            field=models.DateField(verbose_name='date'),
        ),
        migrations.AlterField(
            model_name='historicalsigningdate',
            name='kind',
            field=models.CharField(choices=[('pk', 'Performance agreement (PK)'), ('lkjip', 'Performance report (LKjIP)'), ('skm', 'Satisfaction survey report (SKM)')], max_length=8, verbose_name='document'),
        ),
        migrations.AlterField(
            model_name='historicalsigningdate',
            name='place',
            field=models.CharField(blank=True, max_length=100, verbose_name='place'),
        ),
        migrations.AlterField(
            model_name='historicalsigningdate',
            name='unit',
            field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='accounts.orgunit', verbose_name='unit'),
        ),
        migrations.AlterField(
            model_name='historicalsigningdate',
            name='year',
            field=models.PositiveSmallIntegerField(verbose_name='year'),
        ),
    ]
