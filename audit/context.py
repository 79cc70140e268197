"""Who is asking, for the audit trail: the request's source address and id, bound per request."""

from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RequestInfo:
    source_ip: str | None
    request_id: str
    request: Any = None  # the HttpRequest, whose .user authentication fills in later

    @property
    def user(self):
        user = getattr(self.request, "user", None)
        return user if user is not None and user.is_authenticated else None


current_request: ContextVar[RequestInfo | None] = ContextVar("audit_current_request", default=None)
