"""The object types an event about an object may carry.

An event names its object by model label ("contracts.contractreview"). Models that moved to another app keep
their trail: events written before the move carry the label of the app the model came from, and lookups ask
for both.
"""

from django.db.models import Model, Q

# The app each app's models came from, when the apps were split by floor (they kept their tables).
FORMER_APPS = {
    "accounts": "workbench",
    "matters": "reviews",
    "contracts": "reviews",
    "counterparties": "reviews",
    "approvals": "audit",
    "access_reviews": "audit",
}


def labels(label: str) -> list[str]:
    """The label and, for a model that moved, the label it had before ("contracts.finding", "reviews.finding")."""
    app, _, model = label.partition(".")
    return [label, f"{FORMER_APPS[app]}.{model}"] if app in FORMER_APPS and model else [label]


def about(model: type[Model], object_ids) -> Q:
    """Events about these objects of the model, under its label now and under the one it had before."""
    return Q(object_type__in=labels(model._meta.label_lower), object_id__in=[str(pk) for pk in object_ids])
