from django.apps import AppConfig


class WorkerConfig(AppConfig):
    """Celery tasks and the engines they drive; no models, views or templates."""

    name = "worker"
