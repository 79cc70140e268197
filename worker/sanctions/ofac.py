"""OFAC SDN list in the legacy CSV layout (sdn.csv): no header, twelve columns, details inside Remarks."""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import re
from collections.abc import Iterator
from typing import IO

from worker.messages import gettext_noop

from .countries import to_iso2
from .dates import parse_birth_date
from .model import Alias, Identifier, ListEntry, MalformedListError, ParsedList

LIST_NAME = "OFAC SDN"
_COLUMNS = 12
_EMPTY = "-0-"
_TYPES = {"": "entity", "individual": "individual", "vessel": "vessel", "aircraft": "aircraft"}
# An alias runs to the quote that is followed by "; " or by the final period: names hold apostrophes.
_ALIAS = re.compile(r"\b([afn])\.k\.a\.\s+'(.+?)'(?=\s*;|\s*\.?\s*$)")
# "<kind> <number> (<country>)" where the kind has no digits and the number has at least one.
_IDENTIFIER = re.compile(
    r"^(?P<kind>[A-Za-z][^0-9();]*?)\s+(?P<number>[A-Za-z0-9#][\w./:#-]*\d[\w./:#-]*|\d)"
    r"(?:\s+\((?P<country>[^)]*)\))?$"
)
# Dated facts and descriptions that look like identifiers but are not.
_NOT_IDENTIFIER = re.compile(
    r"date|year|model|executive order|years? old|section|gazette|listing", re.IGNORECASE
)
_ALIAS_QUALITY = {"a": "a.k.a.", "f": "f.k.a.", "n": "n.k.a."}


def parse_ofac_sdn_csv(
    source: str | os.PathLike[str] | IO[bytes] | IO[str], *, published: dt.date, list_name: str = LIST_NAME
) -> ParsedList:
    """Parse OFAC's legacy sdn.csv; `published` is required because the file carries no date."""
    entries = [_entry(row, line, list_name) for line, row in _rows(_read_text(source))]
    if not entries:
        raise MalformedListError(gettext_noop("%(list)s: the file holds no entries."), list=list_name)
    return ParsedList(list_name=list_name, published=published, entries=entries)


def _read_text(source: str | os.PathLike[str] | IO[bytes] | IO[str]) -> str:
    if isinstance(source, (str, os.PathLike)):
        with open(source, "rb") as handle:
            data: bytes | str = handle.read()
    else:
        data = source.read()
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")  # older OFAC downloads are Windows-1252
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise MalformedListError(
            gettext_noop("Line %(line)s: byte %(byte)s is neither UTF-8 nor cp1252."), line=line,
            byte=f"{data[error.start]:#04x}",
        ) from error


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        for row in reader:
            line = reader.line_num
            if not row or row == ["\x1a"]:  # blank lines and the DOS end-of-file byte OFAC appends
                continue
            if len(row) != _COLUMNS:
                raise MalformedListError(
                    gettext_noop("Line %(line)s: expected %(expected)s columns, found %(found)s."), line=line,
                    expected=_COLUMNS, found=len(row),
                )
            yield line, [_value(cell) for cell in row]
    except csv.Error as error:
        raise MalformedListError(gettext_noop("Line %(line)s: %(error)s."), line=reader.line_num, error=str(error)) from error


def _value(cell: str) -> str:
    cell = cell.strip()
    return "" if cell == _EMPTY else cell


def _entry(row: list[str], line: int, list_name: str) -> ListEntry:
    ent_num, name, sdn_type, program, *_, remarks = row
    if not ent_num.isdigit():
        raise MalformedListError(gettext_noop("Line %(line)s: ent_num %(value)r is not a number."), line=line, value=ent_num[:20])
    if not name:
        raise MalformedListError(gettext_noop("Line %(line)s: SDN_Name is empty."), line=line)
    entry_type = _TYPES.get(sdn_type.lower())
    if entry_type is None:
        raise MalformedListError(gettext_noop("Line %(line)s: unknown SDN_Type %(value)r."), line=line, value=sdn_type[:20])
    entry = ListEntry(
        list_name=list_name,
        entry_id=ent_num,
        name=name,
        type=entry_type,  # type: ignore[arg-type]
        programmes=[p.strip(" []") for p in program.split("] [") if p.strip(" []")],
    )
    _read_remarks(entry, remarks)
    return entry


def _read_remarks(entry: ListEntry, remarks: str) -> None:
    for match in _ALIAS.finditer(remarks):
        entry.aliases.append(Alias(match[2].strip(), _ALIAS_QUALITY[match[1]]))
    rest = _ALIAS.sub("", remarks)
    for item in rest.split(";"):
        item = item.strip().rstrip(".").strip()
        item = item.removeprefix("alt. ")
        if not item:
            continue
        head, _, tail = item.partition(" ")
        lowered = head.lower()
        if lowered == "dob":
            birth = parse_birth_date(tail)
            if birth:
                entry.birth_dates.append(birth)
        elif lowered in ("nationality", "citizen"):
            _add_country(entry.nationalities, tail)
        elif lowered == "pob":
            _add_country(entry.countries, tail.rsplit(",", 1)[-1])
        elif lowered == "gender" and tail.lower() in ("male", "female"):
            entry.gender = tail.lower()
        else:
            _add_identifier(entry, item)


def _add_country(target: list[str], text: str) -> None:
    code = to_iso2(text)
    if code and code not in target:
        target.append(code)


def _add_identifier(entry: ListEntry, item: str) -> None:
    match = _IDENTIFIER.match(item)
    if not match or _NOT_IDENTIFIER.search(match["kind"]):
        return
    country_text = match["country"]
    country = to_iso2(country_text) if country_text else None
    entry.identifiers.append(Identifier(match["kind"].strip(), match["number"], country or country_text))
    if country and entry.type != "individual":
        _add_country(entry.countries, country)
