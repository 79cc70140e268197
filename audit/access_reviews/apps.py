from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessReviewsConfig(AppConfig):
    """Top floor: campaigns that certify who may access which matter."""

    name = "audit.access_reviews"
    label = "access_reviews"
    verbose_name = _("Access reviews")

    def ready(self) -> None:
        from accounts.services import person_deactivated
        from audit.access_reviews.services import hand_over_from_leaver

        person_deactivated.connect(hand_over_from_leaver, dispatch_uid="access_reviews.hand_over_from_leaver")
