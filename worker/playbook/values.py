"""Values a playbook checks, read from clause text: periods, amounts, months of fees, jurisdictions."""

import re
from dataclasses import dataclass

_UNITS = {
    "day": 1, "days": 1, "business day": 1, "business days": 1, "calendar day": 1, "calendar days": 1,
    "week": 7, "weeks": 7, "month": 30, "months": 30, "year": 365, "years": 365,
}  # fmt: skip
_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_NUMBER_WORD = r"(?:(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)[\s-]*)+"
_DURATION = re.compile(
    rf"(?P<words>{_NUMBER_WORD})?\s*(?:\(\s*(?P<paren>\d{{1,4}})\s*\)|(?P<digits>\d{{1,4}}))?\s*"
    r"(?P<unit>(?:business |calendar )?days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)
_FEES_MONTHS = re.compile(r"(?:fees|amounts|charges|sums)\b[^.;]{0,120}?\b(?:in|during|for|over)\s+the\s+(?:preceding\s+|prior\s+|previous\s+|last\s+)?", re.IGNORECASE)
_AMOUNT = re.compile(
    r"(?P<currency>US\$|\$|€|£|¥|USD|EUR|GBP|JPY)\s?(?P<number>\d{1,3}(?:[,.]\d{3})*(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?:\s*(?P<scale>million|billion|thousand))?",
    re.IGNORECASE,
)
_SCALES = {"thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}

# Places whose law or courts contracts name. Longer names first, so "New York" wins over "York".
JURISDICTIONS = sorted(
    [
        "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
        "District of Columbia", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
        "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi",
        "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York",
        "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island",
        "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington",
        "West Virginia", "Wisconsin", "Wyoming", "England and Wales", "England", "Scotland", "Northern Ireland",
        "Ireland", "Japan", "Singapore", "Hong Kong", "People's Republic of China", "China", "Germany", "France",
        "Switzerland", "Netherlands", "Sweden", "Israel", "India", "Canada", "Ontario", "British Columbia",
        "Quebec", "Alberta", "Australia", "New South Wales", "Victoria", "Korea", "Taiwan", "Cayman Islands",
        "British Virgin Islands", "Bermuda", "Luxembourg", "Italy", "Spain", "Brazil", "Mexico",
    ],
    key=len,
    reverse=True,
)  # fmt: skip
_JURISDICTION = re.compile(r"\b(" + "|".join(re.escape(name) for name in JURISDICTIONS) + r")\b")


def _words_to_number(words: str) -> int | None:
    total, current = 0, 0
    for word in re.split(r"[\s-]+", words.strip().lower()):
        if not word:
            continue
        if word == "hundred":
            current = max(current, 1) * 100
        elif word in _SMALL:
            current += _SMALL[word]
        else:
            return None
    return total + current


@dataclass(frozen=True)
class Duration:
    days: int
    start: int  # offsets within the text given to the parser
    end: int


def durations(text: str) -> list[Duration]:
    """Every period written in the text, in days ("thirty (30) days", "12 months", "one year")."""
    found = []
    for match in _DURATION.finditer(text):
        number = match["paren"] or match["digits"]
        value = int(number) if number else (_words_to_number(match["words"]) if match["words"] else None)
        if value is None:
            continue
        found.append(Duration(value * _UNITS[match["unit"].lower()], match.start(), match.end()))
    return found


def cap_months_of_fees(text: str) -> int | None:
    """The months of fees a liability cap refers to ("fees paid in the twelve (12) months preceding")."""
    for match in _FEES_MONTHS.finditer(text):
        following = durations(text[match.end() : match.end() + 60])
        if following and following[0].start == 0:
            return round(following[0].days / 30)
    return None


def amounts(text: str) -> list[tuple[str, float]]:
    """Money amounts as (currency, value)."""
    found = []
    for match in _AMOUNT.finditer(text):
        number = match["number"].replace(",", "")
        value = float(number) * _SCALES.get((match["scale"] or "").lower(), 1)
        currency = {"$": "USD", "US$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY"}.get(match["currency"], match["currency"].upper())
        found.append((currency, value))
    return found


def jurisdictions(text: str) -> list[str]:
    """Jurisdictions named in the text, in order, without repeats."""
    seen: list[str] = []
    for match in _JURISDICTION.finditer(text):
        if match[1] not in seen:
            seen.append(match[1])
    return seen
