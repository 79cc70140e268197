"""Country names as lists and users write them, mapped to ISO 3166 alpha-2."""

from __future__ import annotations

import re
from functools import cache

import pycountry
from anyascii import anyascii

# Names the publishers use that ISO's tables do not spell (the key is already normalised).
_EXTRA_NAMES: dict[str, str] = {
    "russia": "RU",
    "turkey": "TR",
    "burma": "MM",
    "north korea": "KP",
    "korea north": "KP",
    "south korea": "KR",
    "korea south": "KR",
    "palestine": "PS",
    "palestinian": "PS",
    "gaza": "PS",
    "palestinian territories": "PS",
    "libyan arab jamahiriya": "LY",
    "hong kong special administrative region": "HK",
    "region gaza": "PS",
    "west bank": "PS",
    "kosovo": "XK",  # user-assigned code, used by OFAC and the EU
    "macau": "MO",
    "congo democratic republic of the": "CD",
    "democratic republic of the congo": "CD",
    "congo republic of the": "CG",
    "north macedonia the republic of": "MK",
    "ivory coast": "CI",
    "gambia the": "GM",
    "the gambia": "GM",
    "bahamas the": "BS",
    "vatican": "VA",
    "uk": "GB",
    "great britain": "GB",
    "britain": "GB",
    "england": "GB",
    "usa": "US",
    "united states of america": "US",
    "uae": "AE",
}

_HEDGES = re.compile(r"^(?:possibly|probably|reportedly|allegedly)\s+")


def _key(text: str) -> str:
    text = anyascii(text).lower()
    text = re.sub(r"\([^)]*\)", " ", text)  # "Iran (Islamic Republic of)" -> "iran"
    text = re.sub(r"[^a-z0-9]+", " ", text).strip()
    return _HEDGES.sub("", text)


@cache
def _table() -> dict[str, str]:
    table: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        table[country.alpha_2.lower()] = code
        table[country.alpha_3.lower()] = code
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if not value:
                continue
            table.setdefault(_key(value), code)
            # "Iran, Islamic Republic of" is also written "Islamic Republic of Iran".
            if "," in value:
                head, tail = value.split(",", 1)
                table.setdefault(_key(f"{tail} {head}"), code)
                table.setdefault(_key(head), code)
    table.update(_EXTRA_NAMES)
    return table


def to_iso2(text: str | None) -> str | None:
    """ISO alpha-2 for a country code or name; None when it is not recognised."""
    if not text or not text.strip():
        return None
    table = _table()
    key = _key(text)
    return table.get(key) or table.get(re.sub(r"^the\s+", "", key))
