from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class WorkbenchConfig(AppConfig):
    name = "workbench"
    verbose_name = _("Workbench")

    def ready(self) -> None:
        from workbench.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, dispatch_uid="workbench.sync_role_groups")
