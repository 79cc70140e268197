from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from audit import signals  # noqa: F401  (connects the authentication signal receivers)
        from audit.database_roles import grant_runtime_privileges

        # post_migrate comes once per app after the whole migrate: with this sender the grants run once, on every
        # table there is by then.
        post_migrate.connect(grant_runtime_privileges, sender=self, dispatch_uid="grant_runtime_privileges")
