"""One Matcher per process over the current list versions, rebuilt when an import changes them.

Building the index over every entry takes seconds, so a worker keeps it; each use checks (one small query)
whether the current versions are still the ones it was built from.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext_noop

from reviews.counterparties.lists import current_versions, load_entries
from reviews.counterparties.models import ListVersion
from worker.messages import Refusal
from worker.sanctions import Matcher, Thresholds


@dataclass(frozen=True)
class LoadedMatcher:
    matcher: Matcher
    versions: tuple[ListVersion, ...]

    @property
    def version_ids(self) -> tuple[int, ...]:
        return tuple(v.pk for v in self.versions)


_lock = threading.Lock()
_loaded: LoadedMatcher | None = None


def thresholds() -> Thresholds:
    return Thresholds(match=settings.SANCTIONS_MATCH_THRESHOLD, review=settings.SANCTIONS_REVIEW_THRESHOLD)


class ScreeningUnavailable(Refusal):
    """No list is loaded: screening would say "clear" about everyone."""


def current_matcher() -> LoadedMatcher:
    """The matcher over the lists loaded now; ScreeningUnavailable when there is none."""
    global _loaded
    versions = tuple(current_versions())
    if not versions:
        raise ScreeningUnavailable(
            gettext_noop("No sanctions list is loaded: import one first (manage.py import_sanctions).")
        )
    key = (tuple(v.pk for v in versions), thresholds())
    with _lock:
        if _loaded is None or (_loaded.version_ids, _loaded.matcher.thresholds) != key:
            entries = load_entries(versions)
            _loaded = LoadedMatcher(Matcher(entries, thresholds=key[1]), versions)
        return _loaded
