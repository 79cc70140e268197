"""The proposed risk rating of a counterparty, and the questionnaire it reads.

The rule (the reviewer sets the final rating, with a reason):
  1. any screening hit decided "match" -> prohibited;
  2. otherwise any hit decided "review" -> high;
  3. the counterparty's country, looked up in the jurisdiction risk table, is a floor (prohibited stays);
  4. each questionnaire answer "yes" is a floor: medium, or high for the answers marked so below;
  5. otherwise low.
The proposal is the highest of these, and it lists every reason that raised it.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reviews.counterparties.models import JurisdictionRisk

LEVELS = ("low", "medium", "high", "prohibited")

# Questionnaire: key -> (question, level a "yes" sets as floor).
QUESTIONS: dict[str, tuple[str, str]] = {
    "politically_exposed": (_("Is a politically exposed person among its owners or directors?"), "medium"),
    "cash_intensive": (_("Is its business cash-intensive?"), "medium"),
    "ownership_unclear": (_("Is its ultimate beneficial ownership unknown or unverified?"), "high"),
    "sanctioned_business": (_("Does it trade with sanctioned or prohibited jurisdictions?"), "high"),
}


def _higher(a: str, b: str) -> str:
    return a if LEVELS.index(a) >= LEVELS.index(b) else b


def propose_rating(*, decision: str, jurisdiction: tuple[str, str] | None, answers: dict[str, bool]
                   ) -> tuple[str, list[str]]:  # fmt: skip
    """(level, reasons). `decision` is the screening's overall one; `jurisdiction` is (country, level) when listed."""
    level, reasons = "low", []
    if decision == "match":
        level = "prohibited"
        reasons.append("screening: a sanctions list match")
    elif decision == "review":
        level = "high"
        reasons.append("screening: a possible sanctions list hit to review")
    if jurisdiction and jurisdiction[1] != "low":
        level = _higher(level, jurisdiction[1])
        reasons.append(f"jurisdiction {jurisdiction[0]}: {jurisdiction[1]}")
    for key, (_question, floor) in QUESTIONS.items():
        if answers.get(key):
            level = _higher(level, floor)
            reasons.append(f"answer {key}: yes ({floor})")
    return level, reasons


_JURISDICTION_REASON = re.compile(r"jurisdiction (?P<country>\w+): (?P<level>\w+)")
_ANSWER_REASON = re.compile(r"answer (?P<key>\w+): yes \((?P<level>\w+)\)")


def reason_text(reason: str) -> str:
    """A reason `propose_rating` wrote (stored in English), in the active language; one it did not write
    is shown as it is."""
    if reason == "screening: a sanctions list match":
        return gettext("Screening: a sanctions list match")
    if reason == "screening: a possible sanctions list hit to review":
        return gettext("Screening: a possible sanctions list hit to review")
    if match := _JURISDICTION_REASON.fullmatch(reason):
        level = _level_name(match["level"])
        return gettext("Jurisdiction %(country)s: %(level)s") % {"country": match["country"], "level": level}
    if (match := _ANSWER_REASON.fullmatch(reason)) and match["key"] in QUESTIONS:
        level = _level_name(match["level"])
        question = QUESTIONS[match["key"]][0]
        return gettext("Answered yes: %(question)s (%(level)s)") % {"question": question, "level": level}
    return reason


def _level_name(level: str) -> str:
    return str(JurisdictionRisk.Level(level).label) if level in JurisdictionRisk.Level.values else level
