"""Country names as lists and users write them, mapped to ISO 3166 alpha-2.

Names come from ISO 3166 (pycountry: current names, their Japanese translations, and withdrawn names whose
code says which country took over) and from Unicode CLDR (Babel: the short English and Japanese names people
use). The hand table below holds only what neither has.
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from collections import defaultdict
from functools import cache

import pycountry
from anyascii import anyascii
from babel import Locale

# Names the publishers and users write that ISO and CLDR do not (the key is already normalised).
_EXTRA_NAMES: dict[str, str] = {
    "turkey": "TR",
    "korea north": "KP",
    "korea south": "KR",
    "palestinian": "PS",
    "gaza": "PS",
    "region gaza": "PS",
    "west bank": "PS",
    "libyan arab jamahiriya": "LY",
    "hong kong special administrative region": "HK",
    "macau": "MO",
    "congo democratic republic of the": "CD",
    "democratic republic of the congo": "CD",
    "congo republic of the": "CG",
    "north macedonia the republic of": "MK",
    "gambia the": "GM",
    "bahamas the": "BS",
    "vatican": "VA",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "uae": "AE",
    "xk": "XK",  # Kosovo: a user-assigned code, used by OFAC and the EU
    # former and colloquial names
    "ivory coast": "CI",
    "swaziland": "SZ",
    "macedonia": "MK",
    "holland": "NL",
    "persia": "IR",
    "siam": "TH",
    "ceylon": "LK",
    "kampuchea": "KH",
    "byelorussia": "BY",
    "belorussia": "BY",
    "アメリカ": "US",
    "日本国": "JP",
    "ビルマ": "MM",
    "東チモール": "TL",
}

_ISO_NAMES = ("name", "official_name", "common_name")
_HEDGES = re.compile(r"^(?:possibly|probably|reportedly|allegedly)\s+")
_JAPANESE = re.compile(r"[\u3005\u3040-\u30ff\u4e00-\u9fff]")  # kana, kanji and 々


def _key(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)  # full-width letters, half-width katakana, （）
    text = re.sub(r"\([^)]*\)", " ", text)  # "Iran (Islamic Republic of)" -> "Iran", "ミャンマー (ビルマ)"
    if _JAPANESE.search(text):
        # Japanese is compared as written: transliterated, kanji would read as Chinese.
        return re.sub(r"[\W_]+", "", text)  # "イラン・イスラム共和国", "東 ティモール"
    text = re.sub(r"[^a-z0-9]+", " ", anyascii(text).lower()).strip()
    return _HEDGES.sub("", text)


class _Names:
    """Names by key with every code that claims them; a name two countries claim names neither."""

    def __init__(self) -> None:
        self.names: dict[str, set[str]] = defaultdict(set)
        self.variants: dict[str, set[str]] = defaultdict(set)  # "Iran" from "Iran, Islamic Republic of"

    def add(self, name: str, code: str) -> None:
        self.names[_key(name)].add(code)
        if "," in name:  # "Iran, Islamic Republic of" is also written "Islamic Republic of Iran", and "Iran"
            head, tail = name.split(",", 1)
            self.variants[_key(f"{tail} {head}")].add(code)
            self.variants[_key(head)].add(code)

    def unambiguous(self) -> dict[str, str]:
        # A whole name outranks a variant: "Congo" is CG although "Congo, The Democratic Republic of" is CD.
        tiers = {**self.variants, **self.names}
        return {key: next(iter(codes)) for key, codes in tiers.items() if len(codes) == 1}


@cache
def _table() -> dict[str, str]:
    current, former = _Names(), _Names()
    iso_japanese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ja"]).gettext
    cldr_english, cldr_japanese = Locale("en").territories, Locale("ja").territories
    codes: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        codes[code.lower()] = codes[country.alpha_3.lower()] = code
        iso_names = [name for name in (getattr(country, attr, None) for attr in _ISO_NAMES) if name]
        for name in [*iso_names, cldr_english[code], *map(iso_japanese, iso_names), cldr_japanese[code]]:
            current.add(name, code)
    for name in (cldr_english["XK"], cldr_japanese["XK"]):
        current.add(name, "XK")
    for country in pycountry.historic_countries:
        # "BUMM": Burma became MM, "ZRCD": Zaire became CD; "SUHH", the USSR, has no single successor.
        successor = pycountry.countries.get(alpha_2=country.alpha_4[2:])
        if successor:
            former.add(country.name, successor.alpha_2)
    return {**former.unambiguous(), **current.unambiguous(), **codes, **_EXTRA_NAMES}


def to_iso2(text: str | None) -> str | None:
    """ISO alpha-2 for a country code or name (English or Japanese, current or former); None when not
    recognised."""
    if not text or not text.strip():
        return None
    table = _table()
    key = _key(text)
    return table.get(key) or table.get(re.sub(r"^the\s+", "", key))
