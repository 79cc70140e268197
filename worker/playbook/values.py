"""Values a playbook checks, read from clause text in English or Japanese: periods, amounts, months of
fees, jurisdictions."""

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


# Japanese: 90日, ９０日間, 三箇月, 1年間, 十二か月; and the places named in Japanese.
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_JA_UNITS = {"日": 1, "日間": 1, "営業日": 1, "週間": 7, "か月": 30, "ヶ月": 30, "ヵ月": 30, "カ月": 30, "箇月": 30,
             "ケ月": 30, "月": 30, "年": 365, "年間": 365}  # fmt: skip
_JA_DURATION = re.compile(
    r"(?P<number>[0-9０-９]{1,4}|[〇一二三四五六七八九十百]{1,6})\s*"
    r"(?P<unit>営業日|日間|週間|か月|ヶ月|ヵ月|カ月|箇月|ケ月|年間|日|年)"
)
_JA_PLACES = {
    "日本": "Japan", "東京": "Japan", "大阪": "Japan", "名古屋": "Japan", "福岡": "Japan", "札幌": "Japan",
    "横浜": "Japan", "京都": "Japan", "神戸": "Japan", "仙台": "Japan", "広島": "Japan",
    "ニューヨーク": "New York", "デラウェア": "Delaware", "カリフォルニア": "California", "シンガポール": "Singapore",
    "英国": "England", "イングランド": "England", "香港": "Hong Kong", "中華人民共和国": "China", "中国": "China",
    "韓国": "Korea", "台湾": "Taiwan", "ドイツ": "Germany", "フランス": "France", "スイス": "Switzerland",
}  # fmt: skip
# A place is named as a law (日本法, 日本国の法律) or a court (東京地方裁判所, 大阪簡易裁判所).
_JA_JURISDICTION = re.compile(
    "(" + "|".join(sorted(_JA_PLACES, key=len, reverse=True)) + r")(?:国)?(?:の)?(?:法|法律|法令|(?:地方|簡易|高等)?裁判所|州)"
)
_JA_FEES_MONTHS = re.compile(r"(?:直近|過去|前|遡って)\s*")


def _ja_number(text: str) -> int | None:
    """An ASCII, full-width or kanji number ("90", "９０", "九十", "百二十")."""
    if text.isdigit():
        return int(text)
    total, current = 0, 0
    for char in text:
        if char in _KANJI_DIGITS:
            current = _KANJI_DIGITS[char]
        elif char == "十":
            total += max(current, 1) * 10
            current = 0
        elif char == "百":
            total += max(current, 1) * 100
            current = 0
        else:
            return None
    return total + current


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
    for match in _JA_DURATION.finditer(text):
        value = _ja_number(match["number"])
        if value is not None:
            found.append(Duration(value * _JA_UNITS[match["unit"]], match.start(), match.end()))
    return sorted(found, key=lambda d: d.start)


def cap_months_of_fees(text: str) -> int | None:
    """The months of fees a liability cap refers to ("fees paid in the twelve (12) months preceding",
    "直近12か月間に支払われた委託料")."""
    for pattern in (_FEES_MONTHS, _JA_FEES_MONTHS):
        for match in pattern.finditer(text):
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
    named = [(m.start(), m[1]) for m in _JURISDICTION.finditer(text)]
    named += [(m.start(), _JA_PLACES[m[1]]) for m in _JA_JURISDICTION.finditer(text)]
    seen: list[str] = []
    for _, name in sorted(named):
        if name not in seen:
            seen.append(name)
    return seen
