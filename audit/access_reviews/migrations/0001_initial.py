import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from accounts.content_types import move_content_types


class Migration(migrations.Migration):
    """The access review tables, created by the audit app's migrations: this takes them over in the migration state only (same tables)."""

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('audit', '0008_fewer_append_indexes'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('matters', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='AccessReviewCampaign',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=200, verbose_name='name')),
                        ('state', models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], db_index=True, default='open', max_length=10, verbose_name='state')),
                        ('started_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='started')),
                        ('deadline', models.DateTimeField(verbose_name='deadline')),
                        ('flags', models.JSONField(blank=True, default=dict, verbose_name='flags')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                        ('summary', models.JSONField(blank=True, default=dict, verbose_name='decisions at closing')),
                        ('closed_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('started_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'access review campaign',
                        'verbose_name_plural': 'access review campaigns',
                        'db_table': 'audit_accessreviewcampaign',
                        'ordering': ['-started_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='AccessReviewItem',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('via', models.CharField(max_length=160, verbose_name='access through')),
                        ('permissions', models.JSONField(default=list, verbose_name='permissions')),
                        ('decision', models.CharField(choices=[('pending', 'Awaiting decision'), ('certified', 'Certified'), ('revoked', 'Revoked'), ('not_reviewed', 'Not reviewed')], db_index=True, default='pending', max_length=20, verbose_name='decision')),
                        ('reason', models.TextField(blank=True, verbose_name='reason')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided')),
                        ('escalated_at', models.DateTimeField(blank=True, null=True, verbose_name='escalated')),
                        ('campaign', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='items', to='access_reviews.accessreviewcampaign')),
                        ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('group', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='auth.group')),
                        ('matter', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='matters.matter')),
                        ('reviewer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('user', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'verbose_name': 'access review item',
                        'verbose_name_plural': 'access review items',
                        'db_table': 'audit_accessreviewitem',
                        'ordering': ['campaign', 'matter', 'user', 'via'],
                        'indexes': [models.Index(fields=['reviewer', 'decision'], name='audit_ari_reviewer_decision')],
                        'constraints': [models.UniqueConstraint(fields=('campaign', 'matter', 'user', 'via'), name='audit_ari_once_per_route')],
                    },
                ),
            ],
        ),
        move_content_types('audit', 'access_reviews', ['accessreviewcampaign', 'accessreviewitem']),
    ]
