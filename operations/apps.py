from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("Operations")

    def ready(self) -> None:
        # Connects the Celery task signals once, in web and worker processes alike (operations/instrumentation.py).
        from operations import instrumentation  # noqa: F401
