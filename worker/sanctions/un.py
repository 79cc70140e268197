"""The UN Security Council consolidated list in the UN's XML schema (CONSOLIDATED_LIST)."""

from __future__ import annotations

import datetime as dt
import os
import xml.etree.ElementTree as ET
from typing import IO

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import parse as safe_parse

from worker.messages import gettext_noop

from .countries import to_iso2
from .dates import parse_birth_date
from .model import Alias, BirthDate, Identifier, ListEntry, MalformedListError, ParsedList

LIST_NAME = "UN Consolidated"
_SECTIONS = {"INDIVIDUALS": ("INDIVIDUAL", "individual"), "ENTITIES": ("ENTITY", "entity")}
_NAME_PARTS = ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")


def parse_un_xml(source: str | os.PathLike[str] | IO[bytes], *, list_name: str = LIST_NAME) -> ParsedList:
    """Parse the UN consolidated list; the publication date is the root's dateGenerated attribute.

    defusedxml refuses DTDs with entities, so a hostile file cannot expand entities or reach the network.
    """
    try:
        root = safe_parse(source).getroot()
    except ET.ParseError as error:
        line, column = error.position
        raise MalformedListError(gettext_noop("XML not well-formed at line %(line)s, column %(column)s."), line=line, column=column) from error
    except DefusedXmlException as error:
        raise MalformedListError(gettext_noop("XML refused: %(error)s."), error=str(error)) from error
    if root.tag != "CONSOLIDATED_LIST":
        raise MalformedListError(gettext_noop("The root element is <%(tag)s>, expected <CONSOLIDATED_LIST>."), tag=root.tag)
    published = _published(root.get("dateGenerated"))
    entries: list[ListEntry] = []
    for section in root:
        if section.tag not in _SECTIONS:
            raise MalformedListError(gettext_noop("Unexpected element <%(tag)s> under <CONSOLIDATED_LIST>."), tag=section.tag)
        child_tag, entry_type = _SECTIONS[section.tag]
        for position, element in enumerate(section, start=1):
            where = f"{section.tag}/{element.tag}[{position}]"
            if element.tag != child_tag:
                raise MalformedListError(gettext_noop("%(where)s: expected <%(tag)s>."), where=where, tag=child_tag)
            entries.append(_entry(element, entry_type, where, list_name))
    if not entries:
        raise MalformedListError(gettext_noop("The list holds no INDIVIDUAL or ENTITY."))
    return ParsedList(list_name=list_name, published=published, entries=entries)


def _published(value: str | None) -> dt.date:
    if not value:
        raise MalformedListError(gettext_noop("<CONSOLIDATED_LIST> has no dateGenerated attribute."))
    try:
        return dt.datetime.fromisoformat(value).date()
    except ValueError as error:
        raise MalformedListError(gettext_noop("<CONSOLIDATED_LIST> dateGenerated %(value)r is not a date."), value=value[:40]) from error


def _text(element: ET.Element | None) -> str:
    return " ".join((element.text or "").split()) if element is not None else ""


def _entry(element: ET.Element, entry_type: str, where: str, list_name: str) -> ListEntry:
    data_id = _text(element.find("DATAID"))
    if not data_id.isdigit():
        raise MalformedListError(gettext_noop("%(where)s: DATAID %(value)r is missing or not a number."), where=where, value=data_id[:20])
    name = " ".join(part for part in (_text(element.find(tag)) for tag in _NAME_PARTS) if part)
    if not name:
        raise MalformedListError(gettext_noop("%(where)s (DATAID %(id)s): no name."), where=where, id=data_id)
    entry = ListEntry(list_name=list_name, entry_id=data_id, name=name, type=entry_type)  # type: ignore[arg-type]
    programme = _text(element.find("UN_LIST_TYPE"))
    entry.programmes = [programme] if programme else []
    prefix = element.tag  # INDIVIDUAL_ALIAS or ENTITY_ALIAS, and so on
    for alias in element.iter(f"{prefix}_ALIAS"):
        alias_name = _text(alias.find("ALIAS_NAME"))
        if alias_name:
            entry.aliases.append(Alias(alias_name, _text(alias.find("QUALITY")) or None))
    original = _text(element.find("NAME_ORIGINAL_SCRIPT"))
    if original:
        entry.aliases.append(Alias(original, "original script"))
    for value in element.iterfind("NATIONALITY/VALUE"):
        _add_country(entry.nationalities, _text(value))
    for tag in (f"{prefix}_ADDRESS/COUNTRY", f"{prefix}_PLACE_OF_BIRTH/COUNTRY"):
        for value in element.iterfind(tag):
            _add_country(entry.countries, _text(value))
    for birth in element.iterfind(f"{prefix}_DATE_OF_BIRTH"):
        parsed = _birth_date(birth)
        if parsed:
            entry.birth_dates.append(parsed)
    for document in element.iterfind(f"{prefix}_DOCUMENT"):
        number = _text(document.find("NUMBER"))
        if number:
            country_text = _text(document.find("ISSUING_COUNTRY")) or _text(document.find("COUNTRY_OF_ISSUE"))
            entry.identifiers.append(
                Identifier(
                    _text(document.find("TYPE_OF_DOCUMENT")) or "document",
                    number,
                    to_iso2(country_text) or country_text or None,
                )
            )
    gender = _text(element.find("GENDER")).lower()
    entry.gender = gender if gender in ("male", "female") else None
    return entry


def _birth_date(element: ET.Element) -> BirthDate | None:
    approximate = _text(element.find("TYPE_OF_DATE")).upper() == "APPROXIMATELY"
    date, year = _text(element.find("DATE")), _text(element.find("YEAR"))
    start, end = _text(element.find("FROM_YEAR")), _text(element.find("TO_YEAR"))
    if start and end:
        parsed = parse_birth_date(f"{start} to {end}")
    else:
        parsed = parse_birth_date(date or year)
    if parsed and approximate:
        return BirthDate(parsed.year_from, parsed.year_to, parsed.date, approximate=True)
    return parsed


def _add_country(target: list[str], text: str) -> None:
    code = to_iso2(text)
    if code and code not in target:
        target.append(code)
