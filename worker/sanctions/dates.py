"""Birth dates as the lists write them: "12 Jan 1960", "Jan 1960", "1960", "circa 1960", "1958 to 1962"."""

from __future__ import annotations

import datetime as dt
import re

from .model import BirthDate

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1
    )
}
_POINT = re.compile(
    r"^(?:(?P<day>\d{1,2})\s+)?(?:(?P<month>[A-Za-z]{3})[a-z]*\.?\s+)?(?P<year>\d{4})$"
    r"|^(?P<iso>\d{4}-\d{2}-\d{2})$"
)


def _point(text: str) -> tuple[int, dt.date | None] | None:
    match = _POINT.match(text.strip())
    if not match:
        return None
    if match["iso"]:
        try:
            date = dt.date.fromisoformat(match["iso"])
        except ValueError:
            return None
        return date.year, date
    year = int(match["year"])
    month = _MONTHS.get((match["month"] or "").lower())
    if match["day"] and month:
        try:
            return year, dt.date(year, month, int(match["day"]))
        except ValueError:
            return year, None
    return year, None


def parse_birth_date(text: str) -> BirthDate | None:
    """A BirthDate from list text, or None when the text holds no usable date."""
    text = text.strip().rstrip(".")
    approximate = False
    lowered = text.lower()
    for hedge in ("circa ", "approximately ", "about "):
        if lowered.startswith(hedge):
            approximate, text = True, text[len(hedge) :]
            break
    if " to " in text:
        start, end = (_point(part) for part in text.split(" to ", 1))
        if start and end and start[0] <= end[0]:
            return BirthDate(start[0], end[0], approximate=approximate)
        return None
    point = _point(text)
    if point is None:
        return None
    return BirthDate(point[0], point[0], date=point[1], approximate=approximate)
