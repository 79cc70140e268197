from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApprovalsConfig(AppConfig):
    """Top floor: four-eyes approval flows over the objects of the floors below."""

    name = "audit.approvals"
    label = "approvals"
    verbose_name = _("Approvals")

    def ready(self) -> None:
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed

        from audit.approvals.receivers import flag_steps_left_by

        m2m_changed.connect(flag_steps_left_by, sender=get_user_model().groups.through,
                            dispatch_uid="approvals.flag_steps_left_by")  # fmt: skip
