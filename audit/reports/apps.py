from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Top floor: PDF reports rendered by a worker from the floors below."""

    name = "audit.reports"
    label = "reports"
    verbose_name = _("PDF reports")
