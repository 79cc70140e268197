"""What a model version may be used for: the enum the whole workbench shares."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Use(models.TextChoices):
    CONTRACT_REVIEW = "contract_review", _("contract review")  # LLM explanations for contract flags
    CLAUSE_EXTRACTION = "clause_extraction", _("clause extraction")  # the clause classifier
    COUNTERPARTY_REVIEW = "counterparty_review", _("counterparty review")  # LLM summaries


class Task(models.TextChoices):
    TEXT_GENERATION = "text_generation", _("text generation (LLM)")
    CLAUSE_CLASSIFICATION = "clause_classification", _("clause classification")


# The uses a model of each task can serve at all; an approval names a subset of these.
USES_BY_TASK: dict[str, tuple[Use, ...]] = {
    Task.TEXT_GENERATION: (Use.CONTRACT_REVIEW, Use.COUNTERPARTY_REVIEW),
    Task.CLAUSE_CLASSIFICATION: (Use.CLAUSE_EXTRACTION,),
}

# Approving a version for these uses needs an evaluation run on the fixed CUAD validation split.
EVALUATED_USES = frozenset({Use.CLAUSE_EXTRACTION, Use.CONTRACT_REVIEW})
