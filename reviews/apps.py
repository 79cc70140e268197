from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    """No models of its own any more: its migrations are the history of the tables that matters, contracts and
    counterparties took over (they kept the tables' names), so old and new databases migrate the same way."""

    name = "reviews"
    verbose_name = _("Reviews")
