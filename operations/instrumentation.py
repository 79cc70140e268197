"""What each process counts itself: HTTP requests (a middleware) and Celery tasks (signals).

The series live in prometheus_client's default registry. Under gunicorn and Celery's prefork pool each process
counts apart, so production sets PROMETHEUS_MULTIPROC_DIR (workbench/ops/run.sh) before any process starts:
prometheus_client then keeps every value in a file of that directory, and /metrics sums the files of all
processes (operations/views.py). Without the variable (tests, `runserver`) the values stay in memory.

Only counters and histograms are kept here: a dead process's counts stay part of the totals, so nothing needs
marking dead when a gunicorn or Celery child exits (that matters only for live gauges, which we do not keep).
"""

import time

from celery import signals
from prometheus_client import Counter, Histogram

HTTP_REQUESTS = Counter("workbench_http_requests", "HTTP requests by view, method and status.",
                        ["view", "method", "status"])  # fmt: skip
HTTP_SECONDS = Histogram("workbench_http_request_duration_seconds", "Time to answer an HTTP request.", ["view"])
CELERY_TASKS = Counter("workbench_celery_tasks", "Celery tasks run, by name and outcome.", ["task", "outcome"])
CELERY_SECONDS = Histogram(
    "workbench_celery_task_duration_seconds", "Time a Celery task ran.", ["task"],
    buckets=(0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1800),
)  # fmt: skip

UNRESOLVED = "unresolved"  # a path no URL pattern matches: its text never becomes a label
# Any other method a client invents is counted as "other", so a caller cannot grow the label set.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


class RequestMetricsMiddleware:
    """Counts and times every request under its URL name (never its path: paths carry ids)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = match.view_name if match else UNRESOLVED
        HTTP_SECONDS.labels(view).observe(time.perf_counter() - started)
        method = request.method if request.method in METHODS else "other"
        HTTP_REQUESTS.labels(view, method, str(response.status_code)).inc()
        return response


_started: dict[str, float] = {}  # task id -> perf_counter at prerun, in the process that runs the task


@signals.task_prerun.connect(dispatch_uid="workbench-metrics-prerun")
def _task_started(task_id: str, **kwargs) -> None:
    _started[task_id] = time.perf_counter()


@signals.task_postrun.connect(dispatch_uid="workbench-metrics-postrun")
def _task_finished(task_id: str, task, state: str | None = None, **kwargs) -> None:
    """postrun follows every run, with the outcome as its state: SUCCESS, FAILURE, RETRY (or IGNORED, REJECTED)."""
    started = _started.pop(task_id, None)
    if started is not None:
        CELERY_SECONDS.labels(task.name).observe(time.perf_counter() - started)
    CELERY_TASKS.labels(task.name, (state or "unknown").lower()).inc()
