"""Parsers of the shared OFAC SDN (legacy CSV) and UN consolidated (XML) snapshots, and of broken files."""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from pathlib import Path

import pytest

from worker.sanctions import BirthDate, MalformedListError, parse_ofac_sdn_csv, parse_un_xml

DATA = Path("/work/shared/datasets/sanctions")
PUBLISHED = dt.date(2024, 5, 31)


@pytest.fixture(scope="module")
def ofac():
    parsed = parse_ofac_sdn_csv(DATA / "ofac_sdn_2024-05.csv", published=PUBLISHED)
    return {e.entry_id: e for e in parsed.entries}


@pytest.fixture(scope="module")
def un():
    return parse_un_xml(DATA / "un_consolidated_2020.xml")


def test_ofac_counts_and_types(ofac):
    assert len(ofac) == 14973
    assert Counter(e.type for e in ofac.values()) == {
        "entity": 6885,
        "individual": 6854,
        "vessel": 851,
        "aircraft": 383,
    }


def test_ofac_publication_date_is_the_parameter():
    row = b'36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\x1a'
    parsed = parse_ofac_sdn_csv(io.BytesIO(row), published=PUBLISHED)
    assert parsed.published == PUBLISHED
    assert [(e.entry_id, e.name, e.type, e.programmes) for e in parsed.entries] == [
        ("36", "AEROCARIBBEAN AIRLINES", "entity", ["CUBA"])
    ]


def test_ofac_individual_details_from_remarks(ofac):
    zomor = ofac["2677"]
    assert zomor.name == "AL-ZOMOR, Abboud Abdul Latif Hassan"
    assert zomor.birth_dates == [BirthDate(1947, 1947, dt.date(1947, 4, 19))]
    assert zomor.nationalities == ["EG"]
    assert zomor.gender == "male"
    zawahiri = ofac["2676"]
    assert [(i.kind, i.number, i.country) for i in zawahiri.identifiers] == [
        ("Passport", "1084010", "EG"),
        ("Passport", "19820215", None),
    ]


def test_ofac_aliases_keep_apostrophes_and_kind(ofac):
    assert [(a.name, a.quality) for a in ofac["3754"].aliases] == [("ABU-'UMAR", "a.k.a.")]
    vessel_aliases = [(a.name, a.quality) for a in ofac["4243"].aliases]
    assert vessel_aliases == [("ANA I", "f.k.a."), ("SAND SWAN", "f.k.a.")]
    assert ofac["4243"].type == "vessel"


def test_ofac_birth_year_spans(ofac):
    spans = [b for e in ofac.values() for b in e.birth_dates if b.year_from != b.year_to]
    circa = [b for e in ofac.values() for b in e.birth_dates if b.approximate]
    assert spans and all(b.year_from < b.year_to for b in spans)
    assert circa and circa[0].contains_year(circa[0].year_from - 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b'1,"A",-0- ,"CUBA"\n', "Line 1: expected 12 columns"),
        (
            (
                b'1,"A",-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
                b'X2,"B",-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n'
            ),
            "Line 2: ent_num",
        ),
        (b'1,"A","robot","X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n', "Line 1: unknown SDN_Type"),
        (b'1,-0- ,-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n', "Line 1: SDN_Name is empty"),
        (b'1,"A" B,-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n', "Line 1:"),
        (b"", "no entries"),
        (b'1,"A",-0- ,"X",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n2,"\x81",-0- ,"X"\n', "Line 2: byte 0x81"),
    ],
)
def test_ofac_malformed_file_is_refused_naming_the_line(content, message):
    with pytest.raises(MalformedListError, match=message):
        parse_ofac_sdn_csv(io.BytesIO(content), published=PUBLISHED)


def test_un_counts_and_publication_date(un):
    assert un.published == dt.date(2020, 11, 30)
    assert Counter(e.type for e in un.entries) == {"individual": 713, "entity": 305}


def test_un_individual_aliases_birth_and_nationality(un):
    entry = next(e for e in un.entries if e.entry_id == "6908570")
    assert entry.name == "CHANG CHANG HA"
    assert [(a.name, a.quality) for a in entry.aliases] == [("Jang Chang Ha", "Good")]
    assert entry.birth_dates == [BirthDate(1964, 1964, dt.date(1964, 1, 10))]
    assert entry.nationalities == ["KP"]
    assert entry.programmes == ["DPRK"]
    ri = next(e for e in un.entries if e.entry_id == "6908555")
    assert [(i.kind, i.number) for i in ri.identifiers] == [("Passport", "381310014")]


def test_un_year_ranges_low_quality_aliases_and_original_script(un):
    spans = [b for e in un.entries for b in e.birth_dates if b.year_from < b.year_to]
    assert len(spans) == 32  # the BETWEEN dates
    qualities = Counter(a.quality for e in un.entries for a in e.aliases)
    assert qualities["Low"] == 616 and qualities["original script"] > 300


UN_HEAD = (
    b'<?xml version="1.0"?><CONSOLIDATED_LIST dateGenerated="2020-11-30T20:31:19.923-05:00"><INDIVIDUALS>'
)
GOOD = b"<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME></INDIVIDUAL>"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (UN_HEAD + GOOD, "line 1, column"),  # truncated
        (
            UN_HEAD + GOOD + b"<INDIVIDUAL><FIRST_NAME>B</FIRST_NAME></INDIVIDUAL>"
            b"</INDIVIDUALS></CONSOLIDATED_LIST>",
            r"INDIVIDUALS/INDIVIDUAL\[2\]: DATAID",
        ),
        (
            UN_HEAD + GOOD + b"<INDIVIDUAL><DATAID>2</DATAID></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
            r"INDIVIDUALS/INDIVIDUAL\[2\] \(DATAID 2\): no name",
        ),
        (UN_HEAD + b"<ENTITY/></INDIVIDUALS></CONSOLIDATED_LIST>", r"INDIVIDUALS/ENTITY\[1\]: expected"),
        (b"<CONSOLIDATED_LIST><INDIVIDUALS>" + GOOD + b"</INDIVIDUALS></CONSOLIDATED_LIST>", "dateGenerated"),
        (b"<LIST/>", "root element is <LIST>"),
        (
            (
                b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
                b"<CONSOLIDATED_LIST>&b;</CONSOLIDATED_LIST>"
            ),
            "refused",
        ),
    ],
)
def test_un_malformed_file_is_refused_naming_the_element(content, message):
    with pytest.raises(MalformedListError, match=message):
        parse_un_xml(io.BytesIO(content))


def test_ofac_windows_1252_download_is_read():
    row = b'7,"CAF\xc9 DEL SOL",-0- ,"CUBA",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,"a.k.a. \'EL CAF\xc9\'."\n'
    entry = parse_ofac_sdn_csv(io.BytesIO(row), published=PUBLISHED).entries[0]
    assert entry.name == "CAFÉ DEL SOL" and entry.aliases[0].name == "EL CAFÉ"
