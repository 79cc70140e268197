"""Sanctions lists in the database: parse a publisher's file, store it as a new version, load it back.

A re-import is one transaction: the new version and all its entries are written, the list's current version
flips to it and the import is audited together; the old version stays for the audit trail. A malformed file
raises MalformedListError (naming the line or element) before anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from collections.abc import Callable, Iterable
from dataclasses import asdict

from django.db import transaction
from django.utils.translation import gettext_noop

from audit.services import record_event
from reviews.counterparties.models import ListVersion, SanctionsEntry, SanctionsList
from worker.sanctions import (
    Alias,
    BirthDate,
    Identifier,
    ListEntry,
    MalformedListError,
    ParsedList,
    parse_ofac_sdn_csv,
    parse_un_xml,
)

FORMATS = ("ofac-sdn-csv", "un-xml")
BATCH = 2000  # entries per INSERT


def progress_key(import_id: int) -> str:
    """Cache key of a UI import's progress: the store runs in one transaction, so its row cannot show it."""
    return f"sanctions-import-progress:{import_id}"


def parse(file_format: str, data: bytes, *, published: dt.date | None = None) -> ParsedList:
    """The list in `data`. OFAC's CSV carries no publication date, so it must be given; the UN's XML has one."""
    if file_format == "ofac-sdn-csv":
        if published is None:
            raise MalformedListError(
                gettext_noop("The OFAC SDN CSV carries no publication date: give it (--published YYYY-MM-DD).")
            )
        return parse_ofac_sdn_csv(io.BytesIO(data), published=published)
    if file_format == "un-xml":
        parsed = parse_un_xml(io.BytesIO(data))
        if published is not None:
            parsed.published = published
        return parsed
    raise MalformedListError(
        gettext_noop("Unknown list format %(format)r: use one of %(formats)s."), format=file_format,
        formats=", ".join(FORMATS),
    )


def entry_data(entry: ListEntry) -> dict:
    """What a row keeps in `data`: every engine field but the ones with columns of their own."""
    return {
        "aliases": [asdict(a) for a in entry.aliases],
        "birth_dates": [
            {**asdict(b), "date": b.date.isoformat() if b.date else None} for b in entry.birth_dates
        ],
        "nationalities": entry.nationalities,
        "countries": entry.countries,
        "identifiers": [asdict(i) for i in entry.identifiers],
        "programmes": entry.programmes,
        "gender": entry.gender,
    }


def engine_entry(list_name: str, entry_id: str, name: str, entry_type: str, data: dict) -> ListEntry:
    return ListEntry(
        list_name=list_name,
        entry_id=entry_id,
        name=name,
        type=entry_type,  # type: ignore[arg-type]  (stored from the engine's own values)
        aliases=[Alias(**a) for a in data.get("aliases", [])],
        birth_dates=[
            BirthDate(**{**b, "date": dt.date.fromisoformat(b["date"]) if b.get("date") else None})
            for b in data.get("birth_dates", [])
        ],
        nationalities=list(data.get("nationalities", [])),
        countries=list(data.get("countries", [])),
        identifiers=[Identifier(**i) for i in data.get("identifiers", [])],
        programmes=list(data.get("programmes", [])),
        gender=data.get("gender"),
    )


@transaction.atomic
def store(parsed: ParsedList, *, sha256: str, file_format: str, actor=None, system: str = "",
          progress: Callable[[int], None] | None = None) -> ListVersion:  # fmt: skip
    """Write `parsed` as the list's new current version; the previous one stays, no longer current."""
    sanctions_list, _created = SanctionsList.objects.get_or_create(name=parsed.list_name)
    SanctionsList.objects.select_for_update().get(
        pk=sanctions_list.pk
    )  # concurrent imports of a list queue here
    previous = ListVersion.objects.filter(sanctions_list=sanctions_list, is_current=True).first()
    if previous is not None:
        previous.is_current = False
        previous.save(update_fields=["is_current"])
    version = ListVersion.objects.create(
        sanctions_list=sanctions_list, published=parsed.published, file_format=file_format, sha256=sha256,
        entry_count=len(parsed.entries), is_current=True,
        imported_by=actor if getattr(actor, "is_authenticated", False) else None,
    )  # fmt: skip
    for start in range(0, len(parsed.entries), BATCH):
        SanctionsEntry.objects.bulk_create(
            SanctionsEntry(
                version=version, entry_id=e.entry_id, name=e.name[:500], type=e.type, data=entry_data(e)
            )
            for e in parsed.entries[start : start + BATCH]
        )
        if progress:
            progress(min(99, 30 + 69 * (start + BATCH) // max(1, len(parsed.entries))))
    types: dict[str, int] = {}
    for entry in parsed.entries:
        types[entry.type] = types.get(entry.type, 0) + 1
    record_event(
        action="sanctions.imported", actor=actor, system=system or "sanctions", target=version,
        payload={"list": parsed.list_name, "published": parsed.published.isoformat(), "format": file_format,
                 "sha256": sha256, "entries": len(parsed.entries), "by_type": types,
                 "replaced_version_id": previous.pk if previous else None},
    )  # fmt: skip
    return version


def import_file(file_format: str, data: bytes, *, published: dt.date | None = None, actor=None, system: str = "",
                progress: Callable[[int], None] | None = None) -> ListVersion:  # fmt: skip
    """Parse, then store: a file that does not parse raises MalformedListError and changes nothing."""
    parsed = parse(file_format, data, published=published)
    if not parsed.entries:
        raise MalformedListError(gettext_noop("The file holds no list entries."))
    if progress:
        progress(30)
    return store(parsed, sha256=hashlib.sha256(data).hexdigest(), file_format=file_format, actor=actor,
                 system=system, progress=progress)  # fmt: skip


def current_versions() -> list[ListVersion]:
    return list(ListVersion.objects.filter(is_current=True).select_related("sanctions_list").order_by("pk"))


def load_entries(versions: Iterable[ListVersion]) -> list[ListEntry]:
    """The engine's entries of these versions, rebuilt from their rows."""
    names = {v.pk: v.sanctions_list.name for v in versions}
    rows = SanctionsEntry.objects.filter(version_id__in=names).order_by("pk")
    return [
        engine_entry(names[version_id], entry_id, name, entry_type, data)
        for version_id, entry_id, name, entry_type, data in rows.values_list(
            "version_id", "entry_id", "name", "type", "data"
        ).iterator(chunk_size=5000)
    ]
