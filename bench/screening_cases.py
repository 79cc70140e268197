"""Screening bench cases built from the shared lists: listed names written differently, ordinary people's
names from Faker, and listed names carrying another person's birth year and nationality."""

from __future__ import annotations

import random
from collections.abc import Iterator

from faker import Faker

from worker.sanctions import ListEntry, Query

# Letter groups first; "c" is decided by the next letter, as Russian and Arabic renderings do.
# fmt: off
_LATIN_TO_CYRILLIC = [
    ("shch", "щ"), ("sh", "ш"), ("ch", "ч"), ("kh", "х"), ("zh", "ж"), ("ts", "ц"), ("ya", "я"), ("yu", "ю"),
    ("yo", "ё"), ("ck", "к"), ("qu", "кв"), ("ph", "ф"), ("th", "т"), ("ee", "и"), ("oo", "у"), ("ou", "у"),
    ("ce", "се"), ("ci", "си"), ("cy", "си"), ("a", "а"), ("b", "б"), ("c", "к"), ("d", "д"), ("e", "е"),
    ("f", "ф"), ("g", "г"), ("h", "х"), ("i", "и"), ("j", "дж"), ("k", "к"), ("l", "л"), ("m", "м"),
    ("n", "н"), ("o", "о"), ("p", "п"), ("q", "к"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"),
    ("v", "в"), ("w", "в"), ("x", "кс"), ("y", "и"), ("z", "з"),
]
# fmt: on
# Arabic writes long vowels only: "a" as alif, "i"/"o"/"u" as ya/waw, "e" not at all; a word opens
# with a hamza seat when it starts with a vowel.
# fmt: off
_LATIN_TO_ARABIC = [
    ("sh", "ش"), ("kh", "خ"), ("th", "ث"), ("dh", "ذ"), ("gh", "غ"), ("ch", "تش"), ("ck", "ك"), ("ph", "ف"),
    ("ce", "س"), ("ci", "سي"), ("a", "ا"), ("b", "ب"), ("d", "د"), ("f", "ف"), ("g", "ج"), ("h", "ه"),
    ("j", "ج"), ("k", "ك"), ("l", "ل"), ("m", "م"), ("n", "ن"), ("p", "ب"), ("q", "ق"), ("r", "ر"),
    ("s", "س"), ("t", "ت"), ("v", "ف"), ("w", "و"), ("y", "ي"), ("z", "ز"), ("c", "ك"), ("x", "كس"),
    ("e", ""), ("i", "ي"), ("o", "و"), ("u", "و"),
]
# fmt: on
_HAMZA_SEAT = {"a": "أ", "o": "أو", "u": "أو", "e": "إ", "i": "إي"}
_EXTRA_MIDDLE = ["Ahmed", "Maria", "Jose", "Ali", "John", "Ivan", "Hassan", "Anna", "Karim", "Luis"]
FAKER_LOCALES = [
    "en_US",
    "de_DE",
    "fr_FR",
    "es_ES",
    "it_IT",
    "pl_PL",
    "pt_BR",
    "tr_TR",
    "ru_RU",
    "ja_JP",
    "zh_CN",
    "ar_AA",
]


def _transliterate(word: str, table: list[tuple[str, str]], hamza: bool = False) -> str:
    word, out, i = word.lower(), [], 0
    if hamza and word[:1] in _HAMZA_SEAT:
        out.append(_HAMZA_SEAT[word[0]])
        i = 1
    while i < len(word):
        for latin, other in table:
            if word.startswith(latin, i):
                out.append(other)
                i += len(latin)
                break
        else:
            out.append(word[i])  # digits, hyphens and apostrophes are kept as written
            i += 1
    return "".join(out)


def _words(name: str) -> list[str]:
    return name.replace(",", " ").split()


def _edit(name: str, rng: random.Random, edits: int) -> str:
    chars = list(name)
    for _ in range(edits):
        letters = [i for i, ch in enumerate(chars) if ch.isalpha()]
        i = rng.choice(letters)
        kind = rng.choice(("substitute", "delete", "insert", "swap"))
        if kind == "substitute":
            chars[i] = rng.choice("abcdefghijklmnopqrstuvwxyz")
        elif kind == "delete" and len(letters) > 4:
            del chars[i]
        elif kind == "insert":
            chars.insert(i, rng.choice("abcdefghijklmnopqrstuvwxyz"))
        elif i + 1 < len(chars) and chars[i + 1].isalpha():
            chars[i], chars[i + 1] = chars[i + 1], chars[i]
    return "".join(chars)


def perturbations(name: str, entry: ListEntry, rng: random.Random) -> Iterator[tuple[str, str]]:
    """(kind, variant) pairs of a listed Latin-script name; kinds that do not apply are skipped."""
    words = _words(name)
    if len(words) >= 2:
        yield "reordered", " ".join(words[1:] + words[:1])
    yield "one_letter", _edit(name, rng, 1)
    if len(name.replace(" ", "")) >= 8:
        yield "two_letters", _edit(name, rng, 2)
    yield "cyrillic", " ".join(_transliterate(w, _LATIN_TO_CYRILLIC) for w in words)
    if entry.type == "individual":
        yield "arabic", " ".join(_transliterate(w, _LATIN_TO_ARABIC, hamza=True) for w in words)
        given = _words(name.split(",", 1)[1]) if "," in name else []
        if len(given) >= 2:  # OFAC writes "SURNAME, Given Middle": keep the first given name and surname
            yield "without_middle", f"{given[0]} {name.split(',', 1)[0]}"
        elif not given and len(words) >= 3:
            yield "without_middle", f"{words[0]} {words[-1]}"
        if len(words) >= 2:
            yield "with_middle", " ".join(words[:1] + [rng.choice(_EXTRA_MIDDLE)] + words[1:])


def listed_variants(
    entries: list[ListEntry], count: int, seed: int = 7
) -> list[tuple[str, Query, ListEntry]]:
    rng = random.Random(seed)
    latin = [e for e in entries if e.name.isascii() and len(e.name.replace(" ", "")) >= 4]
    cases = []
    for entry in rng.sample(latin, count):
        for kind, variant in perturbations(entry.name, entry, rng):
            cases.append((kind, Query(variant), entry))
    return cases


def ordinary_names(per_locale: int, seed: int = 11) -> list[tuple[str, Query]]:
    cases = []
    for locale in FAKER_LOCALES:
        fake = Faker(locale)
        fake.seed_instance(seed)
        for _ in range(per_locale):
            cases.append((locale, Query(f"{fake.first_name()} {fake.last_name()}")))
    return cases


def other_people(entries: list[ListEntry], count: int, seed: int = 13) -> list[tuple[Query, ListEntry]]:
    """A listed individual's exact name with a birth year and nationality that contradict the listing."""
    rng = random.Random(seed)
    countries = ["FR", "BR", "JP", "CA", "SE", "AR", "NG", "IN", "AU", "PL"]
    eligible = [e for e in entries if e.type == "individual" and e.birth_dates and e.nationalities]
    cases = []
    for entry in rng.sample(eligible, min(count, len(eligible))):
        listed_year = entry.birth_dates[0].year_from
        year = listed_year + rng.choice((-1, 1)) * rng.randint(8, 30)
        nationality = rng.choice([c for c in countries if c not in entry.nationalities + entry.countries])
        cases.append((Query(entry.name, date_of_birth=str(year), nationality=nationality), entry))
    return cases
