from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ContractsConfig(AppConfig):
    """Middle floor: playbooks, contract reviews, findings and triage."""

    name = "reviews.contracts"
    label = "contracts"
    verbose_name = _("Contract reviews")
