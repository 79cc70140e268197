import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from accounts.content_types import move_content_types


class Migration(migrations.Migration):
    """The counterparty and sanctions list tables, created by the reviews app's migrations: this takes them over in the migration state only (same tables)."""

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
                    name='JurisdictionRisk',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('country', models.CharField(help_text='ISO 3166 alpha-2', max_length=2, unique=True, verbose_name='country')),
                        ('level', models.CharField(choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('prohibited', 'Prohibited')], max_length=10, verbose_name='level')),
                        ('source', models.CharField(blank=True, max_length=200, verbose_name='source')),
                        ('note', models.TextField(blank=True, verbose_name='note')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                    ],
                    options={
                        'verbose_name': 'jurisdiction risk',
                        'verbose_name_plural': 'jurisdiction risks',
                        'db_table': 'reviews_jurisdictionrisk',
                        'ordering': ['country'],
                    },
                ),
                migrations.CreateModel(
                    name='SanctionsList',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=100, unique=True, verbose_name='name')),
                    ],
                    options={
                        'verbose_name': 'sanctions list',
                        'verbose_name_plural': 'sanctions lists',
                        'db_table': 'reviews_sanctionslist',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='Counterparty',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=300, verbose_name='name')),
                        ('kind', models.CharField(choices=[('person', 'Person'), ('organisation', 'Organisation')], max_length=12, verbose_name='type')),
                        ('aliases', models.JSONField(blank=True, default=list, verbose_name='aliases')),
                        ('country', models.CharField(blank=True, help_text='ISO 3166 alpha-2', max_length=2, verbose_name='country')),
                        ('date', models.CharField(blank=True, help_text='YYYY or YYYY-MM-DD', max_length=10, verbose_name='date of birth or registration')),
                        ('identifiers', models.JSONField(blank=True, default=list, verbose_name='identifiers')),
                        ('new_hits', models.BooleanField(default=False, verbose_name='new hits to look at')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created')),
                        ('created_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('matter', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='counterparties', to='matters.matter', verbose_name='matter')),
                    ],
                    options={
                        'verbose_name': 'counterparty',
                        'verbose_name_plural': 'counterparties',
                        'db_table': 'reviews_counterparty',
                        'ordering': ['name'],
                    },
                ),
                migrations.CreateModel(
                    name='CounterpartyReview',
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
                        ('state', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('waiting_for_model', 'Waiting for model'), ('done', 'Screened'), ('rated', 'Rated, awaiting approval'), ('blocked', 'Blocked by the model register'), ('failed', 'Failed')], db_index=True, default='queued', max_length=20, verbose_name='state')),
                        ('answers', models.JSONField(blank=True, default=dict, verbose_name='questionnaire answers')),
                        ('proposed_rating', models.CharField(blank=True, choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('prohibited', 'Prohibited')], max_length=10, verbose_name='proposed rating')),
                        ('rating_basis', models.JSONField(blank=True, default=list, verbose_name='why this rating was proposed')),
                        ('rating', models.CharField(blank=True, choices=[('low', 'Low'), ('medium', 'Medium'), ('high', 'High'), ('prohibited', 'Prohibited')], max_length=10, verbose_name='rating')),
                        ('rating_reason', models.TextField(blank=True, verbose_name='reason for the rating')),
                        ('rated_at', models.DateTimeField(blank=True, null=True)),
                        ('summary', models.TextField(blank=True, verbose_name="model's summary of the documents")),
                        ('llm_model', models.CharField(blank=True, max_length=200, verbose_name='written by')),
                        ('counterparty', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='reviews', to='counterparties.counterparty')),
                        ('documents', models.ManyToManyField(blank=True, db_table='reviews_counterpartyreview_documents', related_name='counterparty_reviews', to='matters.document')),
                        ('rated_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'counterparty review',
                        'verbose_name_plural': 'counterparty reviews',
                        'db_table': 'reviews_counterpartyreview',
                        'ordering': ['-created_at'],
                        'abstract': False,
                    },
                ),
                migrations.CreateModel(
                    name='ListVersion',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('published', models.DateField(verbose_name='published')),
                        ('imported_at', models.DateTimeField(auto_now_add=True, verbose_name='imported')),
                        ('file_format', models.CharField(max_length=20, verbose_name='format')),
                        ('sha256', models.CharField(max_length=64, verbose_name='file SHA-256')),
                        ('entry_count', models.PositiveIntegerField(verbose_name='entries')),
                        ('is_current', models.BooleanField(db_index=True, default=False, verbose_name='current')),
                        ('imported_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('sanctions_list', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='versions', to='counterparties.sanctionslist')),
                    ],
                    options={
                        'verbose_name': 'list version',
                        'verbose_name_plural': 'list versions',
                        'db_table': 'reviews_listversion',
                        'ordering': ['sanctions_list', '-imported_at'],
                    },
                ),
                migrations.CreateModel(
                    name='RelatedPerson',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=300, verbose_name='name')),
                        ('role', models.CharField(help_text='director, owner, ...', max_length=100, verbose_name='role')),
                        ('date_of_birth', models.CharField(blank=True, help_text='YYYY or YYYY-MM-DD', max_length=10, verbose_name='date of birth')),
                        ('nationality', models.CharField(blank=True, help_text='ISO 3166 alpha-2', max_length=2, verbose_name='nationality')),
                        ('counterparty', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='related_people', to='counterparties.counterparty')),
                    ],
                    options={
                        'verbose_name': 'related person',
                        'verbose_name_plural': 'related people',
                        'db_table': 'reviews_relatedperson',
                        'ordering': ['counterparty', 'name'],
                    },
                ),
                migrations.CreateModel(
                    name='SanctionsImport',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('file_format', models.CharField(max_length=20, verbose_name='format')),
                        ('file_name', models.CharField(max_length=255, verbose_name='file name')),
                        ('data', models.BinaryField()),
                        ('published', models.DateField(blank=True, null=True, verbose_name='published')),
                        ('state', models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('done', 'Done'), ('failed', 'Refused')], default='queued', max_length=10, verbose_name='state')),
                        ('progress', models.PositiveSmallIntegerField(default=0, verbose_name='progress')),
                        ('stage', models.CharField(blank=True, max_length=40, verbose_name='stage')),
                        ('status_message', models.CharField(blank=True, max_length=500, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('finished_at', models.DateTimeField(blank=True, null=True)),
                        ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('version', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='counterparties.listversion')),
                    ],
                    options={
                        'verbose_name': 'sanctions list import',
                        'verbose_name_plural': 'sanctions list imports',
                        'db_table': 'reviews_sanctionsimport',
                        'ordering': ['-created_at'],
                    },
                ),
                migrations.CreateModel(
                    name='Screening',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('decision', models.CharField(max_length=10, verbose_name='decision')),
                        ('best_score', models.FloatField(verbose_name='best score')),
                        ('thresholds', models.JSONField(default=dict)),
                        ('new_hit_count', models.PositiveIntegerField(default=0, verbose_name='new hits')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='screened')),
                        ('counterparty', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='screenings', to='counterparties.counterparty')),
                        ('list_versions', models.ManyToManyField(db_table='reviews_screening_list_versions', related_name='screenings', to='counterparties.listversion')),
                        ('review', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='screenings', to='counterparties.counterpartyreview')),
                    ],
                    options={
                        'verbose_name': 'screening',
                        'verbose_name_plural': 'screenings',
                        'db_table': 'reviews_screening',
                        'ordering': ['-created_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ScreeningHit',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('subject', models.CharField(max_length=300, verbose_name='name screened')),
                        ('subject_role', models.CharField(max_length=100, verbose_name='screened as')),
                        ('list_name', models.CharField(max_length=100, verbose_name='list')),
                        ('entry_id', models.CharField(max_length=64, verbose_name='entry id')),
                        ('name', models.CharField(max_length=500, verbose_name='listed name')),
                        ('score', models.FloatField(verbose_name='score')),
                        ('decision', models.CharField(max_length=10, verbose_name='decision')),
                        ('why', models.JSONField(default=dict, verbose_name='why')),
                        ('screening', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='hits', to='counterparties.screening')),
                    ],
                    options={
                        'verbose_name': 'screening hit',
                        'verbose_name_plural': 'screening hits',
                        'db_table': 'reviews_screeninghit',
                        'ordering': ['screening', '-score'],
                    },
                ),
                migrations.CreateModel(
                    name='SanctionsEntry',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('entry_id', models.CharField(max_length=64, verbose_name='entry id')),
                        ('name', models.CharField(max_length=500, verbose_name='name')),
                        ('type', models.CharField(max_length=10, verbose_name='type')),
                        ('data', models.JSONField(default=dict)),
                        ('version', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='entries', to='counterparties.listversion')),
                    ],
                    options={
                        'verbose_name': 'sanctions list entry',
                        'verbose_name_plural': 'sanctions list entries',
                        'db_table': 'reviews_sanctionsentry',
                        'ordering': ['version', 'id'],
                        'indexes': [models.Index(fields=['version', 'entry_id'], name='sanctions_entry_lookup')],
                    },
                ),
                migrations.AddConstraint(
                    model_name='listversion',
                    constraint=models.UniqueConstraint(condition=models.Q(('is_current', True)), fields=('sanctions_list',), name='one_current_list_version'),
                ),
            ],
        ),
        move_content_types('reviews', 'counterparties', ['sanctionslist', 'listversion', 'sanctionsentry', 'sanctionsimport', 'counterparty', 'relatedperson', 'jurisdictionrisk', 'counterpartyreview', 'screening', 'screeninghit']),
    ]
