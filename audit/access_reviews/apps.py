from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessReviewsConfig(AppConfig):
    """Top floor: campaigns that certify who may access which matter."""

    name = "audit.access_reviews"
    label = "access_reviews"
    verbose_name = _("Access reviews")
