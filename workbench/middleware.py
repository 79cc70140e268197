import re
import uuid

import structlog
from django.utils import translation

from audit.context import RequestInfo, current_request

_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


class RequestIdMiddleware:
    """Gives every request an id (kept from a trusted proxy's X-Request-ID when well formed).

    The id and the source address are bound to the log context and to the audit trail's request context,
    so a log line, an audit event and a proxy log of the same request can be joined.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
        structlog.contextvars.bind_contextvars(request_id=request.request_id)
        token = current_request.set(RequestInfo(request.META.get("REMOTE_ADDR") or None, request.request_id, request))
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(token)
            structlog.contextvars.unbind_contextvars("request_id")
        response["X-Request-ID"] = request.request_id
        return response


class UserLanguageMiddleware:
    """A signed-in user's saved language wins over the browser's Accept-Language."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = getattr(request.user, "language", "") if request.user.is_authenticated else ""
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
