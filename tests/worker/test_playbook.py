import json
from dataclasses import dataclass

import pytest
from pydantic import ValidationError

from reviews.contracts.playbooks import SHIPPED
from worker.playbook import Playbook, apply_playbook
from worker.playbook.apply import FindingKind
from worker.playbook.values import amounts, durations, jurisdictions, liability_cap


@dataclass(frozen=True)
class Span:
    category: str
    start: int
    end: int
    score: float


def _span(text: str, clause: str, category: str, score: float = 0.9) -> Span:
    start = text.index(clause)
    return Span(category, start, start + len(clause), score)


@pytest.mark.parametrize(
    ("text", "days"),
    [("within thirty (30) days", [30]), ("for 12 months", [360]), ("one year", [365]), ("ninety days", [90]),
     ("two (2) business days", [2]), ("one hundred twenty days", [120]), ("no period here", []),
     ("a 30-day notice", [30]), ("five (5)-year terms", [1825]), ("three calendar months", [90])],
)  # fmt: skip
def test_durations(text, days):
    assert [d.days for d in durations(text)] == days


def test_cap_amounts_and_jurisdictions():
    cap = liability_cap("shall not exceed the fees paid by Customer in the twelve (12) months preceding the claim")
    assert cap.months == 12
    assert liability_cap("shall not exceed the amounts paid during the prior six (6) months").months == 6
    assert liability_cap("shall not exceed one million dollars").months is None
    assert amounts("up to $1,000,000 or EUR 2.5 million") == [("USD", 1_000_000.0), ("EUR", 2_500_000.0)]
    assert jurisdictions("the laws of the State of New York and the courts of England and Wales") == ["New York", "England and Wales"]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_playbooks_are_valid(path):
    playbook = Playbook.model_validate(json.loads(path.read_text()))
    assert len(playbook.rules) >= 8


def test_invalid_rules_are_refused_with_the_reason():
    base = {"name": "X", "contract_type": "Y", "rules": [
        {"id": "r1", "category": "Governing Law", "title": "Law", "check": "jurisdiction_in", "severity": "high", "explanation": "why"}]}  # fmt: skip
    with pytest.raises(ValidationError, match="needs 'allowed'"):
        Playbook.model_validate(base)
    base["rules"][0].update(allowed=["Japan"], category="Governing Lawz")
    with pytest.raises(ValidationError, match="unknown clause category"):
        Playbook.model_validate(base)


def _msa() -> Playbook:
    return Playbook.model_validate(json.loads(next(p for p in SHIPPED if p.stem == "msa_saas").read_text()))


def test_playbook_flags_unfavourable_missing_and_prohibited():
    text = (
        "1. Governing Law. This Agreement is governed by the laws of Texas.\n\n"
        "2. Liability. Liability shall not exceed the fees paid in the three (3) months preceding the claim.\n\n"
        "3. Renewal. This Agreement renews automatically for successive one year terms.\n\n"
        "4. Exclusivity. Customer shall purchase such services exclusively from Supplier.\n"
    )
    spans = [
        _span(text, "This Agreement is governed by the laws of Texas.", "Governing Law"),
        _span(text, "Liability shall not exceed the fees paid in the three (3) months preceding the claim.", "Cap on Liability"),
        _span(text, "This Agreement renews automatically for successive one year terms.", "Renewal Term"),
        _span(text, "Customer shall purchase such services exclusively from Supplier.", "Exclusivity"),
        _span(text, "Customer shall purchase such services", "Insurance", score=0.2),  # below the threshold
    ]
    drafts = {d.rule_id: d for d in apply_playbook(_msa(), text, spans)}

    assert drafts["msa-governing-law"].kind is FindingKind.UNFAVOURABLE
    assert drafts["msa-governing-law"].parsed == {"jurisdictions": ["Texas"]}
    assert drafts["msa-liability-cap"].parsed == {"months": 3, "minimum_months": 12}
    assert drafts["msa-renewal-notice"].parsed == {"missing": "Notice Period to Terminate Renewal"}
    assert drafts["msa-no-exclusivity"].kind is FindingKind.PRESENT
    assert drafts["msa-insurance"].kind is FindingKind.MISSING and drafts["msa-insurance"].start is None
    assert "msa-liability-cap-present" not in drafts  # the cap is there
    for draft in drafts.values():
        if draft.start is not None:  # offsets quote the clause exactly
            assert text[draft.start : draft.end].strip() and draft.end <= len(text)


def test_acceptable_terms_raise_no_flag():
    text = "Governed by the laws of New York. Liability is capped at the fees paid in the twelve (12) months preceding the claim."
    spans = [_span(text, "Governed by the laws of New York.", "Governing Law"),
             _span(text, "Liability is capped at the fees paid in the twelve (12) months preceding the claim.", "Cap on Liability")]  # fmt: skip
    flagged = {d.rule_id for d in apply_playbook(_msa(), text, spans)}
    assert not flagged & {"msa-governing-law", "msa-liability-cap", "msa-liability-cap-present"}
