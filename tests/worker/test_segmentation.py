import itertools

import pytest

from worker.segmentation import Segment, segment

NUMBERED = """MASTER SERVICES AGREEMENT

This Agreement is made on June 1, 2020 between Acme Corp., a Delaware corporation ("Acme"), and
Beta Ltd. ("Beta").

1. DEFINITIONS
1.1 "Services" means the services described in Exhibit A. 1.2 "Fees" means the fees in Section 4.2.
(a) first item; and
(b) second item.

2. Term. This Agreement starts on the Effective Date. It ends after two (2) years, i.e. on June 1, 2022!
Is it renewable? No.
"""

TRICKY = [
    NUMBERED,
    NUMBERED.replace("\n", "\r\n"),
    "   leading spaces\n\n\n   and   trailing   \n\n  ",
    (
        "No newline at all. Amendment #3 to the Agreement This Amendment is made by U.S. Bank N.A. and "
        "Mr. J. Smith. 12. Duties: a. manage the venture; b. keep the books. Done."
    ),
    "\u201cQuoted.\u201d Next sentence\u2019s turn. \u2022 bullet one\n\u2022 bullet two",
    "",
    "\n\n\n",
    "x",
]


@pytest.mark.parametrize("text", TRICKY)
def test_segments_round_trip_and_are_trimmed(text):
    for seg in segment(text):
        piece = text[seg.start : seg.end]
        assert piece and piece == piece.strip(), seg
        assert 0 <= seg.start < seg.end <= len(text)


@pytest.mark.parametrize("text", TRICKY)
def test_blocks_cover_all_text_without_overlap_and_hold_their_sentences(text):
    blocks = [s for s in segment(text) if s.kind != "sentence"]
    for before, after in itertools.pairwise(blocks):
        assert before.end <= after.start
    covered = {i for b in blocks for i in range(b.start, b.end)}
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered)
    for sentence in (s for s in segment(text) if s.kind == "sentence"):
        assert any(b.kind == "clause" and b.start <= sentence.start and sentence.end <= b.end for b in blocks)


def _texts(text: str, kind: str) -> list[str]:
    return [text[s.start : s.end] for s in segment(text) if s.kind == kind]


def test_headings_numbered_items_and_lists_start_blocks():
    headings = _texts(NUMBERED, "heading")
    clauses = _texts(NUMBERED, "clause")
    assert "MASTER SERVICES AGREEMENT" in headings
    assert "1. DEFINITIONS" in headings
    assert "(a) first item; and" in clauses and "(b) second item." in clauses
    assert any(c.startswith('1.1 "Services" means') for c in clauses)
    # A wrapped line inside a paragraph does not start a new block.
    assert any(
        c.startswith("This Agreement is made on June 1, 2020") and c.endswith('("Beta").') for c in clauses
    )


def test_sentences_split_at_sentence_ends_but_not_at_abbreviations_or_section_numbers():
    sentences = _texts(NUMBERED, "sentence")
    assert "2. Term." in sentences
    assert "This Agreement starts on the Effective Date." in sentences
    assert "It ends after two (2) years, i.e. on June 1, 2022!" in sentences
    assert "Is it renewable?" in sentences and "No." in sentences
    assert (
        'This Agreement is made on June 1, 2020 between Acme Corp., a Delaware corporation ("Acme"), and\n'
        'Beta Ltd. ("Beta").' in sentences
    )
    assert '1.2 "Fees" means the fees in Section 4.2.' in sentences


def test_flat_text_splits_inline_list_items():
    text = TRICKY[3]
    sentences = _texts(text, "sentence")
    assert (
        "Amendment #3 to the Agreement This Amendment is made by U.S. Bank N.A. and Mr. J. Smith."
        in sentences
    )
    assert "a. manage the venture;" in sentences
    assert "b. keep the books." in sentences


def test_segment_type_is_a_plain_value():
    assert segment("Hello world.") == [Segment(0, 12, "clause"), Segment(0, 12, "sentence")]
