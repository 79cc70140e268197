from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    """Top floor: four-eyes approval flows over the objects of the floors below."""

    name = "audit.approvals"
    label = "approvals"
    verbose_name = _("Approvals")
