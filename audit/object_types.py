"""The object type an event names, and the names an object's older events may carry.

An event names its object by model label ("contracts.contractreview"). Models that moved to another app keep
their trail: events written before the move name the label they had then, and lookups ask for both.
"""

from django.db.models import Model, Q

FORMER_LABELS = {
    "accounts.user": ("workbench.user",),
    **{f"matters.{name}": (f"reviews.{name}",) for name in ("matter", "document")},
    **{
        f"contracts.{name}": (f"reviews.{name}",)
        for name in ("playbook", "playbookversion", "contractreview", "finding", "triageaction")
    },
    **{
        f"counterparties.{name}": (f"reviews.{name}",)
        for name in ("counterparty", "counterpartyreview", "listversion", "sanctionsimport", "jurisdictionrisk")
    },
}


def label_of(model: type[Model] | Model) -> str:
    return model._meta.label_lower


def about(model: type[Model], object_ids) -> Q:
    """Events about these objects of the model, under its label now and under the labels it had before."""
    label = label_of(model)
    return Q(object_type__in=[label, *FORMER_LABELS.get(label, ())], object_id__in=[str(pk) for pk in object_ids])
