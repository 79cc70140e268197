from rest_framework.pagination import CursorPagination


class NewestFirstPagination(CursorPagination):
    """Keyset pagination: stable and fast however deep the page."""

    ordering = "-pk"
    page_size = 50
