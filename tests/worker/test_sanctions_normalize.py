"""Name normalisation, token comparison and country names, without loading any list."""

from __future__ import annotations

import pytest

from worker.sanctions.countries import to_iso2
from worker.sanctions.normalize import is_abjad, is_syllabic, name_tokens, skeleton
from worker.sanctions.similarity import Spelling, compare_names


@pytest.mark.parametrize(
    ("name", "tokens"),
    [
        ("AL ZAWAHIRI, Dr. Ayman", ("al", "zawahiri", "ayman")),  # case, punctuation, title
        ("Müller Bau GmbH", ("muller", "bau")),  # accents, legal form
        ("ANGLO-CARIBBEAN CO., LTD.", ("anglo", "caribbean")),
        ("株式会社ミツビシ", ("mitsubishi",)),  # Japanese legal form, katakana
        ("ООО Ромашка", ("romashka",)),  # Cyrillic legal form
        ("Lorena Sá", ("lorena", "sa")),  # a person keeps a surname that is also a legal form
        ("李欣", ("li", "xin")),  # one Chinese character, one syllable
        ("عبدالخالق الحوثي", ("bd", "l", "hlk", "l", "hwthy")),  # the Arabic article is a word of its own
        ("Джауиш", ("jauish",)),  # Russian "dzh" folded to "j"
    ],
)
def test_name_tokens(name, tokens):
    assert name_tokens(name) == tokens


def test_scripts_and_outlines():
    assert is_abjad("أسامة") and not is_abjad("Osama")
    assert is_syllabic("李欣") and not is_syllabic("ミツビシ")
    assert skeleton("mohammed") == skeleton("muhammad") == "md"
    assert skeleton("sechin") == skeleton("stshyn", abjad=True)


def _spell(*tokens: str) -> Spelling:
    return Spelling(tokens, tuple(map(skeleton, tokens)), (1.0,) * len(tokens))


def test_token_order_does_not_matter_and_a_missing_middle_name_costs_little():
    listed = _spell("abboud", "abdul", "latif", "al", "zomor")
    assert compare_names(_spell("zomor", "al", "abdul", "latif", "abboud"), listed).score == 1.0
    without_middle = compare_names(_spell("abboud", "al", "zomor"), listed)
    different_surname = compare_names(_spell("abboud", "abdul", "latif", "al", "smith"), listed)
    assert without_middle.unpaired_listed == ("abdul", "latif")
    assert without_middle.score > different_surname.score


def test_chinese_syllables_pair_only_when_equal():
    assert compare_names(_spell("zhang", "xin"), _spell("zhang", "xian"), "syllables").score < 0.7
    assert compare_names(_spell("zhang", "xin"), _spell("zhang", "xian"), "tokens").score > 0.8


def test_spacing_differences_compare_joined():
    comparison = compare_names(_spell("alzomor"), _spell("al", "zomor"))
    assert comparison.method == "joined" and comparison.score == 1.0


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Russia", "RU"),
        ("Iran (Islamic Republic of)", "IR"),
        ("Korea, North", "KP"),
        ("Democratic People's Republic of Korea", "KP"),
        ("Congo, Democratic Republic of the", "CD"),
        ("possibly Palestinian", "PS"),
        ("deu", "DE"),
        ("Atlantis", None),
    ],
)
def test_country_names_to_iso2(text, code):
    assert to_iso2(text) == code
