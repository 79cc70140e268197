"""Pattern recognizers for the personal data that contracts and counterparty files hold.

They are plain Presidio `PatternRecognizer`s: one compiled regex each, a validator where the value
carries a checksum, and context cues written into the regex itself (a look-behind), because the
spaCy pipeline runs without the lemmatizer that Presidio's context enhancer needs.
Patterns are case-sensitive unless a group says `(?i:...)`: capitalisation is what tells a name.
Class names differ from Presidio's own: its registry loader finds recognizer classes by name.
"""

from __future__ import annotations

import ipaddress

import regex
import tldextract
from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts
from presidio_analyzer.predefined_recognizers import IbanRecognizer, UkNinoRecognizer

from worker.pii.japanese.identifiers import my_number_valid
from worker.pii.lexicon import NAME, TITLE

FLAGS = regex.DOTALL | regex.MULTILINE

# Words after which a name follows in forms, letters and signature blocks.
_NAME_CUE = (
    r"(?i:full[ ]name|name|contact(?:[ ]person)?|attention(?:[ ]of)?|attn|signatory|witness|signed[ ]by|"
    r"executed[ ]by|represented[ ]by|beneficial[ ]owner|shareholder|director|guarantor|payee|"
    r"account[ ]holder|employee|applicant|client|dear|hi|hello|from|to|cc|regards|sincerely|best|cheers|"
    r"yours|thanks|c/o|appoints|nominates|met(?:[ ]with)?|interviewed|contacted|ask|approved[ ]by|"
    r"countersigned[ ]by|prepared[ ]by|reviewed[ ]by|introduced[ ]by|authori[sz]ed[ ]by|accepted|"
    r"received[ ]from|copy[ ]to|"
    r"according[ ]to|spoke[ ](?:to|with)|call[ ]with|meeting[ ]with|replace|notify|per)"
)


def _luhn_valid(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char) * (2 if position % 2 else 1)
        total += value - 9 if value > 9 else value
    return total % 10 == 0


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


class Prefiltered:
    """A recognizer that skips a text without what every one of its patterns needs (a digit, an @, its
    cue word): one cheap search instead of each pattern over the whole text, which most texts fail."""

    REQUIRES: regex.Pattern

    def analyze(
        self,
        text: str,
        entities: list[str],
        nlp_artifacts: NlpArtifacts | None = None,
        regex_flags: int | None = None,
    ) -> list[RecognizerResult]:
        if self.REQUIRES.search(text) is None:
            return []
        return super().analyze(text, entities, nlp_artifacts, regex_flags)


_DIGIT = regex.compile(r"\d")


class PersonCueRecognizer(PatternRecognizer):
    """Names the NER model misses, found by what stands next to them: a title, a form label, a
    salutation or sign-off, a job title, contact or identity details, an e-mail address in angle
    brackets."""

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PERSON",
            name="PersonCueRecognizer",
            global_regex_flags=FLAGS,
            patterns=[
                # The cue is matched forwards and dropped with \K: a look-behind would be tried at
                # every capitalised word, which made this recognizer the masker's slowest.
                Pattern("titled name", rf"\b{TITLE}[ \t]+\K{NAME}", 0.7),
                # Not a cue after a cue ("Contact: Name: Wei Cheng"): the second one is the label.
                Pattern("labelled name", rf"\b{_NAME_CUE}[ \t]*[:|,\-–]?[ \t\n]*\K(?!{_NAME_CUE}\b){NAME}", 0.55),
                Pattern(
                    "name in capitals after a label",
                    r"\b(?i:name|signed[ ]by|by|signatory|witness)[ \t]*[:|]?[ \t]*\K"
                    r"\p{Lu}[\p{Lu}'’-]+(?:[ ]\p{Lu}[\p{Lu}'’-]+){1,3}(?=[ \t]*(?:\n|$|,))",
                    0.6,
                ),
                Pattern(
                    "name before contact details",
                    rf"(?<=(?:^|\n)[ \t]*(?:[-•*·][ \t]+)?){NAME}"
                    r"(?=[ \t]*[-–,|:(][ \t]*(?:\+?\(?\d|[\w.+-]+@))",
                    0.6,
                ),
            ],
        )


# What follows a name in one pattern, so the name is looked for once: an address in angle brackets,
# a job title, personal details.
_AFTER_NAME = (
    r"[ \t]*<[^<>@\s]+@|,?[ \t]+(?:the[ ])?"
    r"(?:(?:Managing|Executive|Non-Executive|Finance|Sales|Legal|Vice)[ ])?"
    r"(?:Director|Counsel|General[ ]Counsel|CEO|CFO|COO|CTO|President|Secretary|Treasurer|"
    r"Partner|Manager|Officer|Head[ ]of|Chairman|Chair|Attorney|Solicitor|Notary)\b"
    r"|,?[ \t]+\(?(?i:born|dob|date[ ]of[ ]birth|n[ée]e?|ssn|passport|tel\.?|phone|"
    r"mobile|e-?mail|residing|resident)\b"
)


class PersonBeforeDetailsRecognizer(Prefiltered, PatternRecognizer):
    """Names before what follows names (`_AFTER_NAME`); apart from `PersonCueRecognizer` so that a
    text without any of it skips the search for names, the costliest of the masker's patterns."""

    REQUIRES = regex.compile(_AFTER_NAME, FLAGS)

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PERSON",
            name="PersonBeforeDetailsRecognizer",
            global_regex_flags=FLAGS,
            patterns=[Pattern("name before what follows names", rf"{NAME}(?={_AFTER_NAME})", 0.65)],
        )


class OfflineEmailRecognizer(Prefiltered, PatternRecognizer):
    """E-mail addresses whose domain ends in a public suffix, checked against the suffix list that
    tldextract ships: `suffix_list_urls=()` and no cache directory mean it never fetches one."""

    REQUIRES = regex.compile("@")

    _EXTRACT = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)

    def __init__(self) -> None:
        super().__init__(
            supported_entity="EMAIL_ADDRESS",
            name="OfflineEmailRecognizer",
            global_regex_flags=FLAGS | regex.IGNORECASE,
            patterns=[Pattern("email", r"\b[\w.%+'-]+@[\w-]+(?:\.[\w-]+)+\b", 0.5)],
        )

    def validate_result(self, pattern_text: str) -> bool:
        return bool(self._EXTRACT(pattern_text.rpartition("@")[2]).suffix)


class PhoneNumberRecognizer(Prefiltered, PatternRecognizer):
    """Phone numbers in national and international notations: groups of digits separated by
    spaces, dots or dashes, an optional country code, area code in brackets and extension."""

    REQUIRES = _DIGIT

    _DATE = regex.compile(r"\d{1,4}([./-])\d{1,2}\1\d{1,4}")

    def __init__(self) -> None:
        group = r"(?:\(\d{1,5}\)|\d{1,6})"
        super().__init__(
            supported_entity="PHONE_NUMBER",
            name="PhoneNumberRecognizer",
            global_regex_flags=FLAGS,
            patterns=[
                Pattern(
                    "phone",
                    # A bare run of digits is an account or reference number more often than a phone
                    # number, unless it has the length of a national number or a phone cue precedes it.
                    r"(?<![\w+.-])(?!(?:\d{1,9}|\d{12,})(?!\d|[ ().-]\(?\d))"
                    rf"(?:(?:\+|00)\d{{1,3}}[ .-]?)?{group}(?:[ .-]?{group}){{1,5}}"
                    r"(?:[ ]?(?:x|ext\.?|extension)[ ]?\d{1,5})?(?![\w-]|\.\d)",
                    0.5,
                ),
                Pattern(
                    "digits after a phone cue",
                    r"(?<=(?i:\b(?:phone|tel|telephone|mobile|cell|fax|call|inbound[ ]from|outbound[ ]to)"
                    r"|\b[TMF])\.?[ ]?:?[ ]?)\+?\d{7,15}\b",
                    0.5,
                ),
            ],
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        # None keeps the pattern's modest score, so a checksummed number (card, SSN) wins an overlap.
        number = regex.split(r"[ ]?(?:x|ext)", pattern_text)[0]
        if not 7 <= len(_digits(number)) <= 15 or self._DATE.fullmatch(number):
            return False
        return None


class PaymentCardRecognizer(Prefiltered, PatternRecognizer):
    """Payment card numbers of 12 to 19 digits, grouped or not, with a valid Luhn check digit."""

    REQUIRES = _DIGIT

    def __init__(self) -> None:
        super().__init__(
            supported_entity="CREDIT_CARD",
            name="PaymentCardRecognizer",
            global_regex_flags=FLAGS,
            patterns=[
                Pattern("card", r"(?<![\d-])(?:[2-6]\d{3}|1800|2131)(?:[ -]?\d{2,6}){2,4}(?![\d-])", 0.3)
            ],
        )

    def validate_result(self, pattern_text: str) -> bool:
        digits = _digits(pattern_text)
        return 12 <= len(digits) <= 19 and _luhn_valid(digits)


class SocialSecurityNumberRecognizer(Prefiltered, PatternRecognizer):
    """US Social Security numbers: dashed anywhere, undashed only after an SSN cue."""

    REQUIRES = _DIGIT

    def __init__(self) -> None:
        super().__init__(
            supported_entity="US_SSN",
            name="SocialSecurityNumberRecognizer",
            global_regex_flags=FLAGS,
            patterns=[
                Pattern("ssn dashed", r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])", 0.6),
                Pattern(
                    "ssn after cue",
                    r"(?<=(?i:\bssn|social[ ]security(?:[ ]number|[ ]no\.?)?)\W{1,4}(?:is[ ])?)"
                    r"\d{3}[ ]?\d{2}[ ]?\d{4}\b",
                    0.8,
                ),
            ],
        )

    def validate_result(self, pattern_text: str) -> bool:
        digits = _digits(pattern_text)
        area, group, serial = digits[:3], digits[3:5], digits[5:]
        return area not in {"000", "666"} and area[0] != "9" and group != "00" and serial != "0000"


class JpMyNumberRecognizer(Prefiltered, PatternRecognizer):
    """Japanese Individual Numbers (My Number): 12 digits whose last one is the check digit."""

    REQUIRES = _DIGIT

    def __init__(self) -> None:
        super().__init__(
            supported_entity="JP_MY_NUMBER",
            name="JpMyNumberRecognizer",
            global_regex_flags=FLAGS,
            patterns=[Pattern("my number", r"(?<![\d-])\d{4}([ -]?)\d{4}\1\d{4}(?![\d-])", 0.3)],
        )

    def validate_result(self, pattern_text: str) -> bool:
        return my_number_valid(pattern_text)


class PassportRecognizer(Prefiltered, PatternRecognizer):
    """Passport numbers of any country, which only their label tells apart from other codes."""

    _CUE = r"(?i:passport)"
    REQUIRES = regex.compile(_CUE)

    def __init__(self) -> None:
        super().__init__(
            supported_entity="PASSPORT",
            name="PassportRecognizer",
            global_regex_flags=FLAGS,
            patterns=[
                Pattern(
                    "passport after cue",
                    rf"(?<={self._CUE}(?i:[ ](?:no\.?|number|#))?[ ]?[:.]?[ ]?)"
                    r"(?=[A-Z]{0,3}\d)[A-Z\d]{6,10}\b",
                    0.7,
                )
            ],
        )


class DriverLicenceRecognizer(Prefiltered, PatternRecognizer):
    """Driver's licence numbers, which only their label tells apart from other codes."""

    _CUE = r"(?i:\bdriv(?:er['’]?s|ing)[ ]licen[cs]e)"
    REQUIRES = regex.compile(_CUE)

    def __init__(self) -> None:
        super().__init__(
            supported_entity="DRIVER_LICENSE",
            name="DriverLicenceRecognizer",
            global_regex_flags=FLAGS,
            patterns=[
                Pattern(
                    "licence after cue",
                    rf"{self._CUE}(?i:[ ](?:no\.?|number|#))?[ ]?[:.]?[ ]?\K"
                    r"(?=[A-Z-]{0,6}\d)[A-Z\d][A-Z\d-]{4,17}\b",
                    0.7,
                )
            ],
        )


class IpAddressRecognizer(Prefiltered, PatternRecognizer):
    """IPv4 and IPv6 addresses, checked by the standard library; a dotted number inside a longer one
    ("section 1.2.3.4.5") is none."""

    REQUIRES = regex.compile(r"[\d:]")  # IPv4 has digits, IPv6 colons

    def __init__(self) -> None:
        super().__init__(
            supported_entity="IP_ADDRESS",
            name="IpAddressRecognizer",
            global_regex_flags=FLAGS,
            patterns=[
                Pattern("ipv4", r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d]|\.\d)", 0.6),
                Pattern("ipv6", r"(?<![\w:])(?:[0-9A-Fa-f]{0,4}:){2,7}[0-9A-Fa-f]{0,4}(?![\w:])", 0.6),
            ],
        )

    def validate_result(self, pattern_text: str) -> bool:
        try:
            ipaddress.ip_address(pattern_text)
        except ValueError:
            return False
        return True


class PersonalUrlRecognizer(Prefiltered, PatternRecognizer):
    """Web addresses whose path names a person: a profile on a social network or code host, a home
    directory (/~jdoe), a people or user page. Company web sites stay readable."""

    REQUIRES = regex.compile("/")

    def __init__(self) -> None:
        super().__init__(
            supported_entity="URL",
            name="PersonalUrlRecognizer",
            global_regex_flags=FLAGS | regex.IGNORECASE,
            patterns=[
                Pattern(
                    "profile url",
                    r"\b(?:https?://)?(?:[\w-]+\.)*(?:"
                    r"(?:linkedin\.com/(?:in|pub)|facebook\.com|fb\.com|twitter\.com|x\.com|instagram\.com|"
                    r"github\.com|gitlab\.com|tiktok\.com|youtube\.com/(?:user|c)|medium\.com)/@?"
                    r"|[\w.-]+\.[a-z]{2,}(?:/[^\s/]+)*/(?:~|(?:users?|people|profiles?|members?|staff|authors?)/))"
                    r"[\w.%-]*[\w%-](?:[^\s<>\"')\]]*[\w/=%-])?",
                    0.6,
                )
            ],
        )


class BankAccountRecognizer(Prefiltered, PatternRecognizer):
    """Domestic bank account numbers, which only their label tells apart from other numbers."""

    _CUE = r"(?i:\b(?:account|acct|a/c))"
    REQUIRES = regex.compile(_CUE)

    def __init__(self) -> None:
        super().__init__(
            supported_entity="BANK_ACCOUNT",
            name="BankAccountRecognizer",
            global_regex_flags=FLAGS,
            patterns=[
                Pattern(
                    "account after cue",
                    rf"(?<={self._CUE}(?i:[ ](?:no\.?|number|#))?(?i:[ ]is)?[ ]?[:.,]?[ ]?)"
                    r"\d[\d -]{4,20}\d\b",
                    0.6,
                )
            ],
        )


# Street types of the USPS list and British usage, as they close an English street name.
_STREET_SUFFIX = "(?:" + "|".join(
    """
    Street St Road Rd Avenue Ave Lane Ln Drive Dr Court Ct Place Pl Square Sq Boulevard Blvd Way Terrace
    Crescent Close Parkway Pkwy Highway Hwy Circle Cir Row Walk Gardens Garden Hill Hills Park Trail Mews
    Green Grove Rise View Views Plaza Alley Village Villages Burg Burgs Light Lights Trafficway Heights
    Junction Junctions Crossing Ridge Ranch Port Ports Point Points Mill Mills Meadow Meadows Manor Lodge
    Loop Landing Knoll Island Harbor Harbour Glen Fort Forge Ford Fall Falls Extension Expressway Estate
    Estates Creek Cove Corner Corners Common Club Cliff Center Centre Causeway Canyon Brook Bridge Branch
    Bypass Bluff Bottom Bend Beach Shore Shores Spring Springs Station Stream Summit Turnpike Underpass
    Union Unions Valley Valleys Viaduct Ville Villes Vista Well Wells Path Pike Pine Pines Prairie Radial
    Ramp Rapid Rapids Rest River Route Run Shoal Skyway Track Tracks Trace Tunnel Overpass Orchard Oval
    Neck Mountain Motorway Mission Locks Lake Lakes Key Keys Isle Inlet Hollow Haven Gateway Gate Freeway
    Flat Flats Field Fields Ferry Dale Dam Divide Crest Curve Camp Cape Byway Arcade Anex Parade Quay Wharf
    Yard Yards Fork Forks Pass Plain Plains Stravenue Squares Ways Crossroad Crossroads Ridges Walks
    """.split()
) + r")\.?"
_UNIT_WORD = r"(?i:apt|apartment|suite|ste|unit|flat|studio|floor|piso|puerta|appartamento|interno|scala|piano)"
_UNIT = (
    rf"(?:[ ,]+(?:{_UNIT_WORD}\.?[ ]?#?\w{{1,5}}|\d{{1,3}}(?i:st|nd|rd|th)[ ](?i:floor)"
    rf"|(?i:P\.?O\.?[ ]Box)[ ]\d{{1,6}}))"
)
# "Flat 9, Wilson Harbor": a unit before a street that has no house number.
_UNIT_FIRST = rf"(?:{_UNIT_WORD}\.?[ ]?#?\w{{1,5}},?\s+)"
_CONTINENTAL_SUFFIX = (
    r"(?i:straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|steig|straat|laan|plein|"
    r"singel|gracht|kade|dreef|hof|pad|steeg|markt|park|baan|boulevard)"
)
_ROMANCE_TYPE = (
    r"(?:(?i:rue|avenue|boulevard|bd|chemin|impasse|allée|quai|place|cours|route|via|viale|corso|piazza|"
    r"piazzale|largo|vicolo|strada|contrada|borgo|canale|stretto|rotonda|calle|avenida|avda\.|paseo|plaza|"
    r"camino|carrer|carrera|ronda|travesía|callejón|cuesta|glorieta|rambla|pasaje|pasadizo|passeig|rua|"
    r"alameda|acceso|urbanización|vía|sentiero|traversa|galleria|incrocio)|C\.)"
)
# Street types that open a name without a house number ("chemin de Courtois"): the unambiguous ones.
_BARE_STREET_TYPE = (
    r"(?i:rue|avenue|boulevard|chemin|impasse|allée|quai|calle|avenida|paseo|viale|vicolo|piazza)"
)
_CONNECTOR = r"(?:de|del|de[ ]la|des|du|di|della|dei|degli|d'|la|le|les|los|las|el|da|do)"
_POSTCODE = (
    r"(?:\d{4,5}(?:-\d{4})?|\d{4}[ ]?[A-Z]{2}|[A-Z]{1,2}\d[A-Z\d]?[ ]\d[A-Z]{2}|[A-Z]\d[\dW][ ]?[A-Z\d]{4})"
)
_PLACE = r"\p{Lu}[\p{L}'’-]*(?:[ ]\p{Lu}[\p{L}'’-]*){0,2}"
_TAIL_PART = (
    rf"(?:(?:{_POSTCODE}(?:[ ]+{_PLACE})?|{_PLACE}(?:,?[ ]+(?:[A-Z]{{2}}[ ]+)?{_POSTCODE})?)\b|\([A-Z]{{2}}\))"
)
# Town, postcode and state after the street: comma-separated, or on the next line if it has a number.
_TAIL = rf"(?:(?:,[ ]*|[ ]*\n[ ]*(?=[^\n]*\d)|[ ]+(?={_POSTCODE}\b|\([A-Z]{{2}}\)))(?:{_TAIL_PART})){{0,3}}"
# A town written after the street without a comma, when state and postcode follow: "... Drive Chicago, Illinois 60601".
_TOWN_TAIL = rf"(?:[ ]+{_PLACE},[ ]*(?:[A-Z]{{2}}|\p{{Lu}}[\p{{L}}.]+(?:[ ]\p{{Lu}}[\p{{L}}.]+)?)[ ]+{_POSTCODE}\b)?"


_HOUSE_NUMBER = r"\d{1,5}[A-Za-z]?(?:[ ]?[-/][ ]?\d{1,5})?"


class StreetAddressRecognizer(PatternRecognizer):
    """Street addresses in English, German, Dutch, French, Spanish and Italian notation, with the
    postcode, town and state that follow them: the notations that may have no house number."""

    def __init__(self) -> None:
        number = _HOUSE_NUMBER
        super().__init__(
            supported_entity="STREET_ADDRESS",
            name="StreetAddressRecognizer",
            global_regex_flags=FLAGS,
            patterns=[
                Pattern(
                    "number first",
                    rf"\b(?:{_UNIT_FIRST}(?:{number},?[ ]+)?|{number},?[ ]+)"
                    rf"(?:(?:\p{{Lu}}[\p{{L}}'’.-]*|\d{{1,3}}(?:st|nd|rd|th))[ ]+){{1,4}}{_STREET_SUFFIX}(?!\w)"
                    rf"(?:[ ,]+(?:N|S|E|W|NE|NW|SE|SW|N\.[EW]\.|S\.[EW]\.|North|South|East|West)\b\.?)?"
                    rf"{_UNIT}?{_UNIT}?{_TOWN_TAIL}{_TAIL}",
                    0.6,
                ),
                Pattern(
                    "street type without number",
                    rf"\b{_BARE_STREET_TYPE}[ ]+(?:{_CONNECTOR}[ ]+)*"
                    rf"\p{{Lu}}[\p{{L}}'’-]*(?:[ ]+\p{{Lu}}[\p{{L}}'’-]*){{0,2}}{_TAIL}",
                    0.5,
                ),
                Pattern(
                    "after an address cue",
                    r"(?<=(?i:\b(?:residing|resident|resides|lives|living|domiciled|located|premises"
                    r"|registered[ ]office)[ ]at|address(?:[ ]is)?[ ]?[:(]))[ \t]*\K[^\n.;()]{4,80}?"
                    r"(?=[ ]*(?:[.;\n)]|,?[ ](?:and|or|by|before|irrevocably|for|to|in)[ ]|,[ ]by|$))",
                    0.5,
                ),
            ],
        )


class NumberedStreetAddressRecognizer(Prefiltered, PatternRecognizer):
    """The street address notations that have a house number, apart from the others so that a text
    without a digit skips them."""

    REQUIRES = _DIGIT

    def __init__(self) -> None:
        number = _HOUSE_NUMBER
        super().__init__(
            supported_entity="STREET_ADDRESS",
            name="NumberedStreetAddressRecognizer",
            global_regex_flags=FLAGS,
            patterns=[
                Pattern(
                    "japanese address in latin letters",
                    r"\b(?:Room[ ]\d{1,5},[ ])?\d{1,4}-\d{1,4}(?:-\d{1,4})?,?[ ]\p{Lu}[\p{L}-]+(?:[ ]\d{1,2}-chome)?"
                    r"(?:,[ ]\p{Lu}[\p{L}]*-(?:ku|shi|cho|machi|gun|ken))+(?:,[ ]\p{Lu}\p{L}+)?(?:[ ]\d{3}-\d{4})?",
                    0.6,
                ),
                Pattern(
                    "number before a named avenue",
                    rf"\b{number},?[ ]+(?:Avenue[ ]of[ ]the[ ]\p{{Lu}}\p{{L}}+|Broadway)\b"
                    rf"{_UNIT}?{_UNIT}?{_TOWN_TAIL}{_TAIL}",
                    0.6,
                ),
                Pattern(
                    "street word with number",
                    rf"\b(?:\p{{Lu}}[\p{{L}}-]*{_CONTINENTAL_SUFFIX}|(?:\p{{Lu}}[\p{{L}}'’.-]*[ ]+){{1,3}}"
                    rf"(?i:Straße|Strasse|Weg|Allee|Platz|Gasse)|{_ROMANCE_TYPE}[ ]+(?:{_CONNECTOR}[ ]+)*"
                    rf"\p{{Lu}}[\p{{L}}'’-]*(?:[ ]+(?:{_CONNECTOR}[ ]+)*\p{{Lu}}[\p{{L}}'’-]*){{0,3}})"
                    rf",?[ ]+{number}\b{_UNIT}?{_TAIL}",
                    0.6,
                ),
                Pattern(
                    "number before street type",
                    rf"\b{number},?[ ]+{_ROMANCE_TYPE}[ ]+(?:{_CONNECTOR}[ ]+)*\p{{Lu}}[\p{{L}}'’-]*"
                    rf"(?:[ ]+(?:{_CONNECTOR}[ ]+)*\p{{Lu}}[\p{{L}}'’-]*){{0,3}}{_UNIT}?{_TAIL}",
                    0.6,
                ),
            ],
        )


_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|"
    r"Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)


class DateOfBirthRecognizer(Prefiltered, PatternRecognizer):
    """Calendar dates (day, month and year) after a word that makes them a date of birth. Other dates
    stay readable: a contract's dates and periods are what its review is about."""

    _CUE = r"(?i:\b(?:born|birth|birthday|dob|d\.o\.b|geb\.|geboren|née?|nacid[oa]|date[ ]of[ ]birth))"
    REQUIRES = regex.compile(_CUE)
    _NUMERIC = regex.compile(r"(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})")

    def __init__(self) -> None:
        ordinal = r"(?:st|nd|rd|th)?"
        # The cue is matched forwards and dropped with \K: cheaper than a look-behind tried at every number.
        cue = rf"{self._CUE}[^\n;\d]{{0,30}}?\K"
        super().__init__(
            supported_entity="DATE_OF_BIRTH",
            name="DateOfBirthRecognizer",
            global_regex_flags=FLAGS,
            patterns=[
                Pattern("day month year", rf"{cue}\b\d{{1,2}}{ordinal}[ ]+(?:of[ ]+)?{_MONTH},?[ ]+\d{{4}}\b", 0.6),
                Pattern("month day year", rf"{cue}\b{_MONTH}[ ]+\d{{1,2}}{ordinal},?[ ]+\d{{4}}\b", 0.6),
                Pattern(
                    "numeric",
                    rf"{cue}(?<![\d.])(?:\d{{4}}-\d{{1,2}}-\d{{1,2}}|\d{{1,2}}([./-])\d{{1,2}}\1\d{{2,4}})(?![\d.]\d)",
                    0.5,
                ),
            ],
        )

    def validate_result(self, pattern_text: str) -> bool | None:
        numeric = self._NUMERIC.fullmatch(pattern_text)
        if numeric is None:
            return None
        parts = [int(p) for p in numeric.groups()]
        day_month = parts[1:] if parts[0] > 31 else parts[:2]
        return all(1 <= p for p in day_month) and min(day_month) <= 12 and max(day_month) <= 31


class IbanNumberRecognizer(Prefiltered, IbanRecognizer):
    """Presidio's IBAN recognizer, for texts with a digit (an IBAN's check digits)."""

    REQUIRES = _DIGIT

    def __init__(self) -> None:
        super().__init__(name="IbanRecognizer")


class NationalInsuranceNumberRecognizer(Prefiltered, UkNinoRecognizer):
    """Presidio's UK National Insurance number recognizer, for texts with a digit (it has six)."""

    REQUIRES = _DIGIT

    def __init__(self) -> None:
        super().__init__(name="UkNinoRecognizer")


def pattern_recognizers() -> list[PatternRecognizer]:
    """Every pattern recognizer the masker runs, Presidio's own where they fit."""
    return [
        PersonCueRecognizer(),
        PersonBeforeDetailsRecognizer(),
        OfflineEmailRecognizer(),
        PhoneNumberRecognizer(),
        PaymentCardRecognizer(),
        IbanNumberRecognizer(),
        SocialSecurityNumberRecognizer(),
        NationalInsuranceNumberRecognizer(),
        JpMyNumberRecognizer(),
        PassportRecognizer(),
        DriverLicenceRecognizer(),
        BankAccountRecognizer(),
        IpAddressRecognizer(),
        PersonalUrlRecognizer(),
        StreetAddressRecognizer(),
        NumberedStreetAddressRecognizer(),
        DateOfBirthRecognizer(),
    ]
