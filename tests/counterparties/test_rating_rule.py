"""The proposed risk rating: hits first, the jurisdiction and the answers as floors."""

import pytest

from reviews.counterparties.rating import propose_rating


@pytest.mark.parametrize(
    ("decision", "jurisdiction", "answers", "expected"),
    [
        ("clear", None, {}, "low"),
        ("match", None, {}, "prohibited"),
        ("match", ("GB", "low"), {"cash_intensive": True}, "prohibited"),
        ("review", None, {}, "high"),
        ("review", ("KP", "prohibited"), {}, "prohibited"),  # the jurisdiction is a floor, above the hit
        ("clear", ("NG", "medium"), {}, "medium"),
        ("clear", ("MM", "high"), {}, "high"),
        ("clear", None, {"politically_exposed": True}, "medium"),
        ("clear", ("NG", "medium"), {"ownership_unclear": True}, "high"),
        ("clear", None, {"politically_exposed": False}, "low"),
    ],
)
def test_rule(decision, jurisdiction, answers, expected):
    level, reasons = propose_rating(decision=decision, jurisdiction=jurisdiction, answers=answers)
    assert level == expected
    assert bool(reasons) == (expected != "low")
