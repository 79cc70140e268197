from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions
from rest_framework.pagination import CursorPagination
from rest_framework.views import exception_handler as drf_exception_handler


class NewestFirstPagination(CursorPagination):
    """Keyset pagination: stable and fast however deep the page."""

    ordering = "-pk"
    page_size = 50


def exception_handler(exc, context):
    """DRF's handler, plus Django's ValidationError (which services raise) as a 400.

    Field errors answer as DRF's own do, {"field": ["message", ...]}; other errors as
    {"detail": ["message", ...]}, with their "code" when they have one. Django's PermissionDenied
    (403, its message as "detail") and Http404 are DRF's already.
    """
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            detail = exc.message_dict
        else:
            detail = {"detail": exc.messages}
            if getattr(exc, "code", None) is not None:
                detail["code"] = exc.code
        exc = exceptions.ValidationError(detail)
    return drf_exception_handler(exc, context)
