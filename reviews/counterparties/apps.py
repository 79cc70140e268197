from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CounterpartiesConfig(AppConfig):
    """Middle floor: counterparties, sanctions lists, screenings and ratings."""

    name = "reviews.counterparties"
    label = "counterparties"
    verbose_name = _("Counterparties")
