import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from accounts.content_types import move_content_types


class Migration(migrations.Migration):
    """The playbook, contract review and finding tables, created by the reviews app's migrations: this takes them over in the migration state only (same tables)."""

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('matters', '0001_initial'),
        ('reviews', '0004_jurisdiction_risk_seed'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Playbook',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                        ('contract_type', models.CharField(max_length=100, verbose_name='contract type')),
                        ('description', models.TextField(blank=True, verbose_name='description')),
                    ],
                    options={
                        'verbose_name': 'playbook',
                        'verbose_name_plural': 'playbooks',
                        'db_table': 'reviews_playbook',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='ContractReview',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('stage', models.CharField(blank=True, max_length=40, verbose_name='stage')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress')),
                        ('status_message', models.CharField(blank=True, max_length=500, verbose_name='status')),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('claimed_by', models.CharField(blank=True, max_length=64)),
                        ('pseudonyms', models.BinaryField(blank=True, null=True)),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='requested')),
                        ('started_at', models.DateTimeField(blank=True, null=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('state', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('waiting_for_model', 'Waiting for model'), ('done', 'Done'), ('blocked', 'Blocked by the model register'), ('failed', 'Failed')], db_index=True, default='queued', max_length=20, verbose_name='state')),
                        ('classifier', models.JSONField(blank=True, default=dict, verbose_name='clause model')),
                        ('document', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='matters.document')),
                        ('matter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='contract_reviews', to='matters.matter')),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'contract review',
                        'verbose_name_plural': 'contract reviews',
                        'db_table': 'reviews_contractreview',
                        'ordering': ['-created_at'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='Finding',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('fingerprint', models.CharField(max_length=64)),
                        ('source', models.CharField(choices=[('system', 'Found by the workbench'), ('lawyer', 'Added by a lawyer (missed)')], default='system', max_length=10, verbose_name='source')),
                        ('rule_id', models.CharField(blank=True, max_length=64, verbose_name='playbook rule')),
                        ('category', models.CharField(db_index=True, max_length=64, verbose_name='category')),
                        ('kind', models.CharField(max_length=20, verbose_name='kind')),
                        ('title', models.CharField(max_length=200, verbose_name='title')),
                        ('detected_severity', models.CharField(choices=[('high', 'High'), ('medium', 'Medium'), ('low', 'Low'), ('info', 'Info')], max_length=10, verbose_name='severity found')),
                        ('severity', models.CharField(choices=[('high', 'High'), ('medium', 'Medium'), ('low', 'Low'), ('info', 'Info')], max_length=10, verbose_name='severity')),
                        ('status', models.CharField(choices=[('open', 'Open'), ('confirmed', 'Confirmed'), ('dismissed', 'Dismissed as false positive')], default='open', max_length=10, verbose_name='status')),
                        ('start', models.PositiveIntegerField(blank=True, null=True)),
                        ('end', models.PositiveIntegerField(blank=True, null=True)),
                        ('score', models.FloatField(default=0.0, verbose_name='confidence')),
                        ('explanation', models.TextField(blank=True, verbose_name='explanation')),
                        ('fallback', models.TextField(blank=True, verbose_name='fallback wording')),
                        ('parsed', models.JSONField(blank=True, default=dict, verbose_name='values read')),
                        ('llm_explanation', models.TextField(blank=True, verbose_name="model's explanation")),
                        ('llm_fallback', models.TextField(blank=True, verbose_name="model's fallback wording")),
                        ('llm_model', models.CharField(blank=True, max_length=200, verbose_name='written by')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('review', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='findings', to='contracts.contractreview')),
                    ],
                    options={
                        'verbose_name': 'finding',
                        'verbose_name_plural': 'findings',
                        'db_table': 'reviews_finding',
                        'ordering': ['review', 'start'],
                    },
                ),
                migrations.CreateModel(
                    name='PlaybookVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('number', models.PositiveIntegerField(verbose_name='version')),
                        ('rules', models.JSONField(help_text='The playbook as JSON: see worker/playbook/rules.py.', verbose_name='rules')),
                        ('sha256', models.CharField(max_length=64, verbose_name='SHA-256')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('note', models.CharField(blank=True, max_length=500, verbose_name='change note')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('playbook', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='contracts.playbook')),
                    ],
                    options={
                        'db_table': 'reviews_playbookversion',
                        'ordering': ['playbook', '-number'],
                    },
                ),
                migrations.AddField(
                    model_name='contractreview',
                    name='playbook_version',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='contracts.playbookversion'),
                ),
                migrations.CreateModel(
                    name='TriageAction',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('action', models.CharField(choices=[('confirm', 'Confirmed'), ('dismiss', 'Dismissed as false positive'), ('change_severity', 'Changed severity'), ('comment', 'Commented'), ('add_missed', 'Added a missed finding')], max_length=20, verbose_name='action')),
                        ('reason', models.TextField(blank=True, verbose_name='reason or comment')),
                        ('from_severity', models.CharField(blank=True, max_length=10)),
                        ('to_severity', models.CharField(blank=True, max_length=10)),
                        ('created_at', models.DateTimeField(auto_now_add=True, db_index=True)),
                        ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('finding', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='triage', to='contracts.finding')),
                    ],
                    options={
                        'verbose_name': 'triage action',
                        'verbose_name_plural': 'triage actions',
                        'db_table': 'reviews_triageaction',
                        'ordering': ['created_at'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='finding',
                    constraint=models.UniqueConstraint(fields=('review', 'fingerprint'), name='finding_once_per_review'),
                ),
                migrations.AddConstraint(
                    model_name='playbookversion',
                    constraint=models.UniqueConstraint(fields=('playbook', 'number'), name='playbook_version_number'),
                ),
            ],
        ),
        move_content_types('reviews', 'contracts', ['playbook', 'playbookversion', 'contractreview', 'finding', 'triageaction']),
    ]
