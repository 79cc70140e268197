import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from accounts.content_types import move_content_types


class Migration(migrations.Migration):
    """The approval tables, created by the audit app's migrations: this takes them over in the migration state only (same tables)."""

    initial = True

    dependencies = [
        ('accounts', '0001_initial'),
        ('audit', '0008_fewer_append_indexes'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('matters', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='ApprovalFlow',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('object_id', models.PositiveBigIntegerField()),
                        ('state', models.CharField(choices=[('submitted', 'Submitted'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('changes_requested', 'Changes requested'), ('revoked', 'Revoked'), ('expired', 'Expired')], default='submitted', max_length=20, verbose_name='state')),
                        ('object_hash', models.CharField(max_length=64, verbose_name='hash of what was submitted')),
                        ('note', models.TextField(blank=True, verbose_name='submission note')),
                        ('submitted_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='submitted')),
                        ('closed_at', models.DateTimeField(blank=True, null=True, verbose_name='closed')),
                        ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='contenttypes.contenttype')),
                        ('matter', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='matters.matter', verbose_name='matter')),
                        ('submitted_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='submitted by')),
                    ],
                    options={
                        'verbose_name': 'approval flow',
                        'verbose_name_plural': 'approval flows',
                        'db_table': 'audit_approvalflow',
                        'ordering': ['-submitted_at', '-id'],
                    },
                ),
                migrations.CreateModel(
                    name='ApprovalStep',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('position', models.PositiveSmallIntegerField(verbose_name='order')),
                        ('name', models.CharField(max_length=100, verbose_name='step')),
                        ('required_approvals', models.PositiveSmallIntegerField(default=1, verbose_name='approvals needed')),
                        ('state', models.CharField(choices=[('waiting', 'Waiting'), ('current', 'Awaiting decision'), ('approved', 'Approved'), ('rejected', 'Rejected'), ('changes_requested', 'Changes requested'), ('expired', 'Expired'), ('cancelled', 'Cancelled')], default='waiting', max_length=20, verbose_name='state')),
                        ('due_at', models.DateTimeField(blank=True, null=True, verbose_name='deadline')),
                        ('flow', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='steps', to='approvals.approvalflow')),
                        ('group', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='auth.group', verbose_name='group')),
                    ],
                    options={
                        'verbose_name': 'approval step',
                        'verbose_name_plural': 'approval steps',
                        'db_table': 'audit_approvalstep',
                        'ordering': ['flow', 'position'],
                    },
                ),
                migrations.AddField(
                    model_name='approvalflow',
                    name='current_step',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='approvals.approvalstep'),
                ),
                migrations.CreateModel(
                    name='ApprovalDecision',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('decision', models.CharField(choices=[('approve', 'Approve'), ('reject', 'Reject'), ('request_changes', 'Request changes'), ('revoke', 'Revoke')], max_length=20, verbose_name='decision')),
                        ('reason', models.TextField(verbose_name='reason')),
                        ('object_hash', models.CharField(max_length=64, verbose_name='hash of what was decided on')),
                        ('decided_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='decided')),
                        ('actor', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                        ('flow', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='approvals.approvalflow')),
                        ('step', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='decisions', to='approvals.approvalstep')),
                    ],
                    options={
                        'verbose_name': 'approval decision',
                        'verbose_name_plural': 'approval decisions',
                        'db_table': 'audit_approvaldecision',
                        'ordering': ['decided_at', 'id'],
                    },
                ),
                migrations.AddConstraint(
                    model_name='approvalstep',
                    constraint=models.UniqueConstraint(fields=('flow', 'position'), name='audit_step_position_unique'),
                ),
                migrations.AddIndex(
                    model_name='approvalflow',
                    index=models.Index(fields=['content_type', 'object_id'], name='audit_flow_object_idx'),
                ),
                migrations.AddConstraint(
                    model_name='approvalflow',
                    constraint=models.UniqueConstraint(condition=models.Q(('state', 'submitted')), fields=('content_type', 'object_id'), name='audit_one_open_flow_per_object'),
                ),
            ],
        ),
        move_content_types('audit', 'approvals', ['approvalflow', 'approvalstep', 'approvaldecision']),
    ]
