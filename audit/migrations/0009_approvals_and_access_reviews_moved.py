from django.db import migrations

# Dependants first; whole models, so no RemoveField before them (see reviews.0005_models_moved).
MOVED = ("ApprovalDecision", "ApprovalFlow", "ApprovalStep", "AccessReviewItem", "AccessReviewCampaign")


class Migration(migrations.Migration):
    """The approval and access review models now belong to their own apps (audit.approvals, audit.access_reviews),
    which took over these tables: they leave the audit app's migration state only, and the tables stay."""

    dependencies = [
        ("access_reviews", "0001_initial"),
        ("approvals", "0001_initial"),
        ("audit", "0008_fewer_append_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name) for name in MOVED])
    ]
