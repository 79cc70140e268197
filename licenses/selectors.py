"""Reads of the model register."""

import difflib
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from licenses.models import RUNNABLE_STATUSES, License, LicenseText, ModelVersion

_TOKENS = re.compile(r"\s+|\w+|[^\w\s]")  # whitespace runs, words, single punctuation marks


def approved_versions() -> QuerySet[ModelVersion]:
    """What everyone may read: the versions that may run, and for what."""
    return ModelVersion.objects.filter(status__in=RUNNABLE_STATUSES).select_related("model", "license")


def register_versions(
    *, status: str = "", task: str = "", license_id: int | None = None, q: str = ""
) -> QuerySet:
    """The steward's register, filtered."""
    versions = ModelVersion.objects.select_related("model", "license")
    if status:
        versions = versions.filter(status=status)
    if task:
        versions = versions.filter(model__task=task)
    if license_id:
        versions = versions.filter(license_id=license_id)
    if q:
        versions = versions.filter(
            Q(model__name__icontains=q) | Q(version__icontains=q) | Q(served_name__icontains=q)
            | Q(model__provider__icontains=q)
        )  # fmt: skip
    return versions


def version_detail(pk: int) -> ModelVersion:
    """One version with its model and license; an unknown id is a 404."""
    return get_object_or_404(
        ModelVersion.objects.select_related("model", "license", "license__obligations", "reviewed_text"),
        pk=pk,
    )


def license_texts(license: License) -> list[LicenseText]:
    return list(license.texts.order_by("-number"))


@dataclass(frozen=True)
class DiffSegment:
    op: str  # "equal", "insert" or "delete"
    text: str


def word_diff(old: str, new: str) -> list[DiffSegment]:
    """Word-level diff of two texts; whitespace and punctuation are tokens too, so the text reads as written."""
    a, b = _TOKENS.findall(old), _TOKENS.findall(new)
    segments = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op in ("equal", "delete", "replace"):
            segments.append(DiffSegment("equal" if op == "equal" else "delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            segments.append(DiffSegment("insert", "".join(b[j1:j2])))
    return [segment for segment in segments if segment.text]
