"""The contract review pipeline, free of Django: text in, findings out.

The Celery task and `manage.py review_contract` both run it, so a batch run checks exactly what the
workbench does. Stages report progress through a callback.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from worker.articles import heading_spans
from worker.messages import gettext_noop
from worker.playbook import FindingDraft, Playbook, apply_playbook
from worker.playbook.apply import Span

Progress = Callable[[str, int], None]


class Classifier(Protocol):
    def classify(self, text: str) -> Sequence[Span]: ...


@dataclass(frozen=True)
class ReviewOutcome:
    spans: list[Span]
    findings: list[FindingDraft]


def review_text(
    text: str, playbook: Playbook, *, classifier: Classifier, side: str | None = None, progress: Progress | None = None
) -> ReviewOutcome:
    """`side`: the party we are, as the contract names it (甲, 乙, Customer), for rules about one side."""
    report = progress or (lambda stage, percent: None)
    report(gettext_noop("classifying"), 20)
    # Japanese articles (第N条) and English sections of the categories CUAD has none for, by their headings.
    spans = list(classifier.classify(text)) + heading_spans(text)
    report(gettext_noop("applying playbook"), 80)
    findings = apply_playbook(playbook, text, spans, side=side)
    report(gettext_noop("saving"), 95)
    return ReviewOutcome(spans=spans, findings=findings)
