from django.db import migrations

# Dependants first. Deleting whole models needs no RemoveField before it: those would re-render every related
# model each time, for a state that is gone a moment later.
MOVED = (
    "TriageAction", "Finding", "ContractReview", "PlaybookVersion", "Playbook",
    "ScreeningHit", "Screening", "CounterpartyReview", "RelatedPerson", "Counterparty",
    "SanctionsImport", "SanctionsEntry", "ListVersion", "SanctionsList", "JurisdictionRisk",
    "MatterUserObjectPermission", "MatterGroupObjectPermission", "Document", "Matter",
)  # fmt: skip


class Migration(migrations.Migration):
    """Every model of this app moved to reviews.matters, reviews.contracts or reviews.counterparties, which took
    over the tables: they leave this app's migration state only, and the tables stay."""

    dependencies = [
        ("audit", "0009_approvals_and_access_reviews_moved"),
        ("contracts", "0001_initial"),
        ("counterparties", "0001_initial"),
        ("matters", "0001_initial"),
        ("reviews", "0004_jurisdiction_risk_seed"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name) for name in MOVED])
    ]
