"""Token usage per matter, user and model, from the `llm.called` events of the audit trail.

The trail is the store: every LLM call is an event holding its matter, the user it ran for (`user_id`), the model
and the tokens, so the numbers survive restarts and agree with the audit reports. GPU time is a budget too.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, F, FloatField, IntegerField, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from reviews.matters.models import Matter

PERIODS = {"24h": (_("Last 24 hours"), timedelta(hours=24)), "7d": (_("Last 7 days"), timedelta(days=7)),
           "30d": (_("Last 30 days"), timedelta(days=30))}  # fmt: skip
DEFAULT_PERIOD = "7d"


@dataclass(frozen=True)
class Row:
    key: int | str | None  # the matter or user id, or the model name; None: calls that named none
    label: str
    calls: int
    prompt_tokens: int
    completion_tokens: int
    seconds: float

    @property
    def tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


@dataclass(frozen=True)
class Usage:
    by_matter: list[Row]
    by_user: list[Row]
    by_model: list[Row]


def start_of(period: str) -> datetime:
    return timezone.now() - PERIODS[period][1]


def token_usage(*, since: datetime) -> Usage:
    """Calls, tokens and call time since `since`, grouped three ways, the heaviest first."""
    calls = AuditEvent.objects.order_by().filter(action="llm.called", occurred_at__gte=since).annotate(
        user=Cast(KT("payload__user_id"), IntegerField()), model=KT("payload__model"),
    )  # fmt: skip
    matters = _grouped(calls, "matter_id")
    users = _grouped(calls, "user")
    references = dict(Matter.objects.filter(pk__in=[k for k in matters if k]).values_list("pk", "reference"))
    usernames = dict(get_user_model().objects.filter(pk__in=[k for k in users if k]).values_list("pk", "username"))
    return Usage(
        by_matter=[_row(key, references.get(key, f"#{key}"), totals) for key, totals in matters.items()],
        by_user=[_row(key, usernames.get(key, f"#{key}"), totals) for key, totals in users.items()],
        by_model=[_row(key, key, totals) for key, totals in _grouped(calls, "model").items()],
    )


def _grouped(calls, key: str) -> dict:
    def total(field: str, output):
        return Coalesce(Sum(Cast(KT(f"payload__{field}"), output)), 0, output_field=output)

    rows = calls.values(group=F(key)).annotate(
        calls=Count("pk"), prompt=total("tokens_in", IntegerField()), completion=total("tokens_out", IntegerField()),
        milliseconds=total("latency_ms", FloatField()),
    ).order_by((F("prompt") + F("completion")).desc(), "group")  # fmt: skip
    return {row.pop("group"): row for row in rows}


def _row(key, label, totals: dict) -> Row:
    if key is None:
        label = str(_("(none)"))
    return Row(key, label, totals["calls"], totals["prompt"], totals["completion"], totals["milliseconds"] / 1000)
