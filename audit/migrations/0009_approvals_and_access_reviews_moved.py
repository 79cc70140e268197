from django.db import migrations


class Migration(migrations.Migration):
    """The approval and access review models now belong to their own apps (audit.approvals, audit.access_reviews),
    which took over these tables: they leave the audit app's migration state only, and the tables stay."""

    dependencies = [
        ('access_reviews', '0001_initial'),
        ('approvals', '0001_initial'),
        ('audit', '0008_fewer_append_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='accessreviewitem',
                    name='campaign',
                ),
                migrations.RemoveField(
                    model_name='accessreviewitem',
                    name='decided_by',
                ),
                migrations.RemoveField(
                    model_name='accessreviewitem',
                    name='group',
                ),
                migrations.RemoveField(
                    model_name='accessreviewitem',
                    name='matter',
                ),
                migrations.RemoveField(
                    model_name='accessreviewitem',
                    name='reviewer',
                ),
                migrations.RemoveField(
                    model_name='accessreviewitem',
                    name='user',
                ),
                migrations.RemoveField(
                    model_name='approvaldecision',
                    name='actor',
                ),
                migrations.RemoveField(
                    model_name='approvaldecision',
                    name='flow',
                ),
                migrations.RemoveField(
                    model_name='approvaldecision',
                    name='step',
                ),
                migrations.RemoveField(
                    model_name='approvalflow',
                    name='content_type',
                ),
                migrations.RemoveField(
                    model_name='approvalflow',
                    name='current_step',
                ),
                migrations.RemoveField(
                    model_name='approvalflow',
                    name='matter',
                ),
                migrations.RemoveField(
                    model_name='approvalflow',
                    name='submitted_by',
                ),
                migrations.RemoveField(
                    model_name='approvalstep',
                    name='flow',
                ),
                migrations.RemoveField(
                    model_name='approvalstep',
                    name='group',
                ),
                migrations.DeleteModel(
                    name='AccessReviewCampaign',
                ),
                migrations.DeleteModel(
                    name='AccessReviewItem',
                ),
                migrations.DeleteModel(
                    name='ApprovalDecision',
                ),
                migrations.DeleteModel(
                    name='ApprovalFlow',
                ),
                migrations.DeleteModel(
                    name='ApprovalStep',
                ),
            ],
        ),
    ]
