from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MattersConfig(AppConfig):
    """Ground floor: matters, their documents and who may see or work in them."""

    name = "reviews.matters"
    label = "matters"
    verbose_name = _("Matters")
