"""Sanctions lists parsed into one neutral structure, and a matcher that screens names against them.

Plain Python, usable without Django (the import and screen commands wrap it):

    ofac = parse_ofac_sdn_csv("sdn.csv", published=date(2024, 5, 31))
    un = parse_un_xml("consolidated.xml")
    matcher = Matcher(ofac.entries + un.entries, thresholds=Thresholds(match=0.93, review=0.70))
    result = matcher.screen(Query("Aiman Zawahri", date_of_birth="1951", nationality="Egypt"))
    result.as_dict()  # {"decision": ..., "best_score": ..., "matches": [{"list", "entry_id", "name", ...}]}

`Matcher.screen_many` screens several queries at once.
"""

from .matcher import Hit, Matcher, Query, ScreeningResult, Thresholds
from .model import Alias, BirthDate, Identifier, ListEntry, MalformedListError, ParsedList
from .ofac import parse_ofac_sdn_csv
from .un import parse_un_xml

__all__ = [
    "Alias",
    "BirthDate",
    "Hit",
    "Identifier",
    "ListEntry",
    "MalformedListError",
    "Matcher",
    "ParsedList",
    "Query",
    "ScreeningResult",
    "Thresholds",
    "parse_ofac_sdn_csv",
    "parse_un_xml",
]
