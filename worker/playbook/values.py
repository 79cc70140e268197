"""Values a playbook checks, read from clause text in English or Japanese: periods, liability caps,
amounts, jurisdictions.

A clause often names several periods ("renews for one (1) year terms unless notice is given ninety (90) days
before the end"): a rule reads the one it is about (a `Quantity`), found by the words around it.
"""

import re
from dataclasses import dataclass
from enum import StrEnum

_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "year": 365, "years": 365}
_SMALL = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_NUMBER_WORD = r"(?:(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred)[\s-]*)+"
# "thirty (30) days", "12 months", "a 30-day notice", "five (5)-year terms", "three calendar months"
_DURATION = re.compile(
    rf"(?:(?P<words>{_NUMBER_WORD})\s*)?(?:\(\s*(?P<paren>\d{{1,4}})\s*\)|(?P<digits>\d{{1,4}}))?[\s-]*"
    r"(?:business |calendar )?(?P<unit>days?|weeks?|months?|years?)\b",
    re.IGNORECASE,
)
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


class Quantity(StrEnum):
    """A period a rule may be about: read by the words around it, not as any period in the clause."""

    RENEWAL_NOTICE = "renewal_notice"  # notice of non-renewal before a term ends (not the term that renews)
    PAYMENT_TERM = "payment_term"  # time to pay an invoice
    CURE_PERIOD = "cure_period"  # time to cure a breach once notified
    SURVIVAL_PERIOD = "survival_period"  # how long obligations last after the contract ends or after disclosure


@dataclass(frozen=True)
class Duration:
    days: int
    start: int  # offsets within the text given to the parser
    end: int


def durations(text: str, quantity: Quantity | None = None) -> list[Duration]:
    """The periods written in the text, in days ("thirty (30) days", "12 months", "one year", "３か月"): those of
    `quantity` only, when one is named."""
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
    if quantity is not None:
        found = [d for d in found if _cued(text, d, _CUES[quantity])]
    return sorted(found, key=lambda d: d.start)


# A cue is (words before the period, words after it); a period is of a quantity when both parts of one of its
# cues match (None: anything). Gaps never cross a sentence (. ; 。) or another number, so a cue names its own period.
Cue = tuple[re.Pattern | None, re.Pattern | None]
_WINDOW = 120  # characters looked at on each side of a period
_AT_LEAST = (
    r"(?:(?:at\s+least|not\s+less\s+than|no\s+less\s+than|no\s+fewer\s+than|a\s+minimum\s+of|no\s+later\s+than"
    r"|not\s+later\s+than)\s+)?"
)
_POSSESSIVE = r"(?:'s?|’s?)?\s*"  # "ninety (90) days' notice"
_A_PERIOD_OF = r"(?:a\s+(?:further\s+)?(?:period|term)\s+of\s+)?"
_CURE = r"\b(?:cure[sd]?|curing|remed(?:y|ied|ies|ying)|rectif(?:y|ied|ies|ying))\b"
_PAY = r"\b(?:pay|pays|paid|payable|payment|payments|due|remit|remitted)\b"
_JA_GAP = r"[^。、\d０-９]"  # within a clause of a Japanese sentence, no other number


def _cue(before: str | None, after: str | None) -> Cue:
    return (re.compile(before + r"\Z", re.IGNORECASE) if before else None,
            re.compile(after, re.IGNORECASE) if after else None)  # fmt: skip


_CUES: dict[Quantity, tuple[Cue, ...]] = {
    Quantity.RENEWAL_NOTICE: (
        _cue(None, _POSSESSIVE + r"(?:(?:prior|advance|written)\s+){0,3}(?:notice|notification)\b"),
        _cue(None, r"\s*(?:prior|before|in\s+advance\s+of|preceding"
                   r"|of\s+the\s+(?:end|expiration|expiry|conclusion))\b"),  # "days prior to the end"
        # "notice to the other Party of at least 3 months", not "notice ... before the end of the one (1) year term"
        _cue(r"\bnoti(?:ce|fication)\b(?:(?!\b(?:end|expir\w*|anniversary|renew\w*|terms?)\b)[^.;\d]){0,60}?\bof\s+"
             + _AT_LEAST, None),  # fmt: skip
        _cue(r"\b(?:up)?on\s+" + _AT_LEAST, None),  # "upon ninety (90) days"
        _cue(None, r"(?:間)?(?:以上)?前"),  # 期間満了の３か月前までに
        _cue(None, r"(?:間)?(?:以上)?の(?:予告|事前通知)"),
    ),
    Quantity.PAYMENT_TERM: (
        _cue(_PAY + r"[^.;\d]{0,60}?\b(?:within|in|no\s+later\s+than|not\s+later\s+than)\s+", None),
        _cue(_PAY + r"[^.;\d]{0,60}?",
             r"[^.;\d]{0,10}?\b(?:of|after|from|following)\s+(?:[\w'’]+\s+){0,5}?(?:invoice|invoicing|billing)"),
        _cue(r"\bnet\s+", None),
        _cue(rf"請求書?{_JA_GAP}{{0,10}}(?:後|から|より)(?:起算して)?", None),  # 請求書受領後30日以内
        _cue(None, rf"以内に{_JA_GAP}{{0,20}}(?:支払|振り?込)"),
    ),
    Quantity.CURE_PERIOD: (
        _cue(_CURE + r"[^.;\d]{0,80}?\b(?:within|in|during|for|of)\s+" + _A_PERIOD_OF + _AT_LEAST, None),
        _cue(None, _POSSESSIVE + r"(?:(?:in|within)\s+which\s+)?to\s+" + _CURE),  # "thirty (30) days to cure"
        _cue(None, r"\s*(?:after|of|following|from)\s+(?:the\s+)?(?:receipt\s+of\s+|delivery\s+of\s+)?"
                   r"(?:such\s+|a\s+|the\s+)?(?:written\s+)?notice\b[^.;\d]{0,80}?" + _CURE),  # "after notice to cure"
        _cue(rf"(?:是正|催告){_JA_GAP}{{0,20}}(?:後|から|より)(?:起算して)?", None),  # 是正を求める通知後30日以内
        _cue(None, rf"(?:以内|内)に{_JA_GAP}{{0,10}}(?:是正|治癒|解消)"),
    ),
    Quantity.SURVIVAL_PERIOD: (
        _cue(r"\bsurviv\w*\b[^.;\d]{0,80}?\b(?:for|until|during)\s+" + _A_PERIOD_OF + _AT_LEAST, None),
        # "for three (3) years after termination", "until two years following its expiration"; not "within"
        _cue(r"\b(?:for|until)\s+" + _A_PERIOD_OF + _AT_LEAST,
             _POSSESSIVE + r"(?:after|following|from|beyond)\s+(?:the\s+)?(?:any\s+|such\s+|its\s+)?"
             r"(?:date\s+of\s+(?:the\s+|its\s+|each\s+)?)?(?:termination|expiration|expiry|end|disclosure)\b"),
        _cue(None, r"(?:間)?(?:(?:を|が)経過する(?:日)?まで(?:の間)?)?(?:は|に限り)?、?(?:なお|引き続き)?、?(?:有効に)?"
                   r"(?:存続|効力を有)"),  # 終了後も3年間存続する, 終了後3年間なお有効に存続する
    ),
}  # fmt: skip


def _cued(text: str, period: Duration, cues: tuple[Cue, ...]) -> bool:
    before, after = text[max(0, period.start - _WINDOW) : period.start], text[period.end : period.end + _WINDOW]
    return any((b is None or b.search(before)) and (a is None or a.match(after)) for b, a in cues)


@dataclass(frozen=True)
class Cap:
    """A liability cap as written: in months of fees when it says over which period ("the fees paid in the
    12 months preceding the claim", "twice the annual fees": 24), else as a multiple of fees or an amount."""

    months: int | None = None
    times_fees: float | None = None  # "two times the fees paid under this Agreement": no period to count in months
    amounts: tuple[tuple[str, float], ...] = ()


# The period of fees a cap counts: "fees paid in the twelve (12) months preceding", "12 months of fees",
# 直近12か月間に支払われた委託料, 委託料の３か月分.
_FEES = r"(?:fees|charges|amounts?|sums|payments|compensation|remuneration)\b"
_JA_FEES = r"(?:委託料|料金|対価|報酬|代金|利用料|使用料|手数料)"
_FEE_PERIOD: tuple[Cue, ...] = (
    # not across a claim period: "the fees paid hereunder, and any claim must be brought within one (1) year"
    _cue(r"\b" + _FEES + r"(?:(?!\b(?:claims?|actions?|brought)\b)[^.;\d]){0,120}?\b(?:in|during|for|over|within)\s+"
         r"(?:the\s+)?(?:(?:immediately\s+)?(?:preceding|prior|previous|last|most\s+recent)\s+)?", None),
    _cue(None, _POSSESSIVE + r"(?:worth\s+)?(?:of\s+)?(?:the\s+)?(?:[\w-]+\s+){0,2}?" + _FEES),
    _cue(r"(?:直近|過去|遡って|遡り|前)\s*", None),
    _cue(None, r"(?:間)?分"),
)  # fmt: skip
_ANNUAL_FEES = re.compile(rf"\b(?:annual|yearly)\s+(?:[\w-]+\s+){{0,2}}?{_FEES}|(?:年間|年額)の?{_JA_FEES}", re.IGNORECASE)
_TIMES_FEES = re.compile(
    rf"(?:(?P<number>\d+(?:\.\d+)?|{_NUMBER_WORD})\s*(?:\(\s*[\d.]+\s*\)\s*)?(?:times|x|×)|(?P<twice>twice|double))"
    rf"\s+(?:the\s+)?(?:[\w-]+\s+){{0,3}}?{_FEES}|{_JA_FEES}[^。、]{{0,10}}?(?P<ja>[0-9０-９.]+|[一二三四五六七八九十]+)倍",
    re.IGNORECASE,
)
# A cap of the fees themselves, over no stated period: "shall not exceed the fees paid under this Agreement".
_FEES_CAP = re.compile(
    rf"\b(?:exceed|exceeds|limited\s+to|not\s+more\s+than|up\s+to|in\s+excess\s+of)\s+(?:[\w-]+\s+){{0,5}}?{_FEES}"
    rf"|{_JA_FEES}(?:の)?(?:総額|合計額|相当額|額)?(?:を|の)?(?:上限|限度)",
    re.IGNORECASE,
)


def liability_cap(text: str) -> Cap:
    """The liability cap a clause sets ("fees paid in the twelve (12) months preceding the claim", "two times the
    annual fees", "直近12か月間に支払われた委託料の総額", "委託料の２倍", "$1,000,000")."""
    periods = [(d.start, d.days) for d in durations(text) if _cued(text, d, _FEE_PERIOD)]
    periods += [(m.start(), 365) for m in _ANNUAL_FEES.finditer(text)]
    if periods:
        at, days = min(periods)  # the first a clause names; a second is usually another cap ("twice that for ...")
        # A multiple counts for this period only in the same part of the sentence ("two times the fees paid in the
        # six (6) months preceding", 直近12か月間の委託料の２倍), not from another cap further on.
        near = [m for m in _TIMES_FEES.finditer(text) if abs(m.start() - at) < 100
                and not re.search(r"[.;。]", text[min(m.start(), at) : max(m.end(), at)])]  # fmt: skip
        multiple = _multiple(min(near, key=lambda m: abs(m.start() - at))) if near else 1.0
        return Cap(months=round(days / 30 * multiple))
    times = _TIMES_FEES.search(text)
    times_fees = _multiple(times) if times else (1.0 if _FEES_CAP.search(text) else None)
    return Cap(times_fees=times_fees, amounts=tuple(amounts(text)))


def _multiple(match: re.Match) -> float:
    return 2.0 if match["twice"] else _number(match["number"] or match["ja"]) or 1.0


def _number(text: str) -> float | None:
    """A number in digits (ASCII or full-width), English words or kanji."""
    text = text.strip()
    if text[0].isdigit():
        return float(text)
    value = _words_to_number(text) if text.isascii() else _ja_number(text)
    return float(value) if value is not None else None


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
