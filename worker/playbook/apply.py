"""Apply a playbook to the classified spans of one contract."""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from worker.playbook import values
from worker.playbook.parties import MUTUAL, acting_party, same_party
from worker.playbook.rules import OURS, Check, Playbook, Rule, Severity

MAX_FLAGS_PER_RULE = 3  # a prohibited clause repeated ten times is one problem, shown where it is clearest


class Span(Protocol):
    category: str
    start: int
    end: int
    score: float


class FindingKind(StrEnum):
    MISSING = "missing"  # a required clause is not there
    PRESENT = "present"  # a prohibited clause is there
    UNFAVOURABLE = "unfavourable"  # the clause is there but its terms break the position
    UNREADABLE = "unreadable"  # the clause is there but the value to check could not be read


@dataclass(frozen=True)
class FindingDraft:
    rule_id: str
    category: str
    kind: FindingKind
    severity: Severity
    title: str
    explanation: str
    fallback: str
    score: float  # the classifier's confidence in the span (for MISSING: that the clause is absent)
    start: int | None = None
    end: int | None = None
    parsed: dict = field(default_factory=dict)


def _present(spans: Sequence[Span], threshold: float) -> list[Span]:
    """Spans at or above the threshold, best first, without overlaps."""
    kept: list[Span] = []
    for span in sorted(spans, key=lambda s: -s.score):
        if span.score < threshold:
            break
        if all(span.end <= other.start or span.start >= other.end for other in kept):
            kept.append(span)
    return kept


def _draft(rule: Rule, kind: FindingKind, score: float, span: Span | None = None, severity: Severity | None = None,
           **parsed) -> FindingDraft:  # fmt: skip
    return FindingDraft(
        rule_id=rule.id, category=rule.category, kind=kind, severity=severity or rule.severity, title=rule.title,
        explanation=rule.explanation, fallback=rule.fallback, score=round(float(score), 4),
        start=span.start if span else None, end=span.end if span else None, parsed=parsed,
    )  # fmt: skip


def _check_periods(rule: Rule, spans: Sequence[Span], text: str) -> list[FindingDraft]:
    """The period the rule reads (the notice, not the term that renews; every period when it names none), span by
    span. A named period may sit in any span of the clause (a survival sentence apart from its article): spans
    silent on it are about something else, and it is unreadable once, only when no span states it."""
    read = [(span, [d.days for d in values.durations(text[span.start : span.end], rule.reads)]) for span in spans]
    if rule.reads is not None:
        read = [(span, periods) for span, periods in read if periods] or read[:1]
    drafts = []
    for span, periods in read[:MAX_FLAGS_PER_RULE]:
        if not periods:
            drafts.append(_draft(rule, FindingKind.UNREADABLE, span.score, span, Severity.INFO))
            continue
        worst = max(periods) if rule.check is Check.MAX_DURATION else min(periods)
        broken = worst > rule.days if rule.check is Check.MAX_DURATION else worst < rule.days
        if broken:
            drafts.append(_draft(rule, FindingKind.UNFAVOURABLE, span.score, span, days=worst, limit_days=rule.days))
    return drafts


def _check_values(rule: Rule, span: Span, clause: str) -> FindingDraft | None:
    if rule.check is Check.JURISDICTION_IN:
        named = values.jurisdictions(clause)
        if not named:
            return _draft(rule, FindingKind.UNREADABLE, span.score, span, Severity.INFO)
        outside = [name for name in named if name not in rule.allowed]
        return _draft(rule, FindingKind.UNFAVOURABLE, span.score, span, jurisdictions=outside) if outside else None
    if rule.check is Check.MIN_CAP_MONTHS:
        cap = values.liability_cap(clause)
        if cap.months is None:  # fees over no stated period, or a fixed amount: a lawyer compares it with the fees
            read: dict = {}
            if cap.times_fees:
                read["times_fees"] = cap.times_fees
            if cap.amounts:
                read["currency"], read["amount"] = cap.amounts[0]
            return _draft(rule, FindingKind.UNREADABLE, span.score, span, Severity.INFO, **read)
        if cap.months < rule.months:
            return _draft(rule, FindingKind.UNFAVOURABLE, span.score, span, months=cap.months,
                          minimum_months=rule.months)  # fmt: skip
        return None
    raise AssertionError(f"not a value check: {rule.check}")


def _about(rule: Rule, side: str | None, clause: str) -> bool:
    """Whether a clause speaks of the party the rule is about, seen from `side` (ours, as the contract names it)."""
    if rule.party is None or not side:
        return True
    acting = acting_party(clause)
    if acting is None or acting == MUTUAL:
        return acting is None  # a clause with no subject we can read still counts; a mutual one binds both alike
    return same_party(acting, side) is (rule.party == "ours")


def apply_playbook(playbook: Playbook, text: str, spans: Iterable[Span], *, side: str | None = None) -> list[FindingDraft]:
    """Findings of the playbook on the classified spans; `side` is the party we are, as the contract names it
    ("乙", "Customer"), for rules written about one side."""
    by_category: dict[str, list[Span]] = defaultdict(list)
    for span in spans:
        by_category[span.category].append(span)

    drafts: list[FindingDraft] = []
    for rule in playbook.rules:
        threshold = rule.threshold if rule.threshold is not None else playbook.threshold
        candidates = [s for s in by_category.get(rule.category, []) if _about(rule, side, text[s.start : s.end])]
        present = _present(candidates, threshold)
        best = max((s.score for s in candidates), default=0.0)
        if rule.check is Check.REQUIRED:
            if not present:
                drafts.append(_draft(rule, FindingKind.MISSING, 1.0 - best))
        elif rule.check is Check.PROHIBITED:
            drafts.extend(_draft(rule, FindingKind.PRESENT, s.score, s) for s in present[:MAX_FLAGS_PER_RULE])
        elif rule.check is Check.REQUIRES:
            companion_threshold = playbook.threshold
            if present and not _present(by_category.get(rule.requires_category, []), companion_threshold):
                drafts.append(_draft(rule, FindingKind.MISSING, present[0].score, present[0], missing=rule.requires_category))
        elif rule.check is Check.SAYS:
            # Said anywhere the clause is (a survival sentence apart from its article counts): else one flag.
            phrases = [phrase.replace(OURS, side or playbook.assumed_side or OURS) for phrase in rule.phrases]
            said = [text[s.start : s.end].casefold() for s in present]  # English wording may start a sentence
            if present and not any(p.casefold() in clause for clause in said for p in phrases):
                drafts.append(_draft(rule, FindingKind.UNFAVOURABLE, present[0].score, present[0], expected=phrases))
        elif rule.check in (Check.MAX_DURATION, Check.MIN_DURATION):
            drafts.extend(_check_periods(rule, present, text))
        else:
            for span in present[:MAX_FLAGS_PER_RULE]:
                draft = _check_values(rule, span, text[span.start : span.end])
                if draft is not None:
                    drafts.append(draft)
    return drafts
