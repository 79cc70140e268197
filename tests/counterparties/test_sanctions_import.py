"""Importing sanctions lists: the shared snapshots, malformed files, and re-imports that keep old versions."""

import datetime as dt
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from audit.models import AuditEvent
from reviews.counterparties import lists
from reviews.counterparties.models import ListVersion, SanctionsEntry, SanctionsList
from tests.counterparties.lists_data import OFAC_SMALL, OFAC_SMALL_NEXT, SHARED, UN_SMALL
from worker.sanctions import MalformedListError, parse_un_xml


@pytest.mark.django_db
def test_shared_snapshots_import_with_their_counts_and_details():
    call_command("import_sanctions", SHARED / "ofac_sdn_2024-05.csv", "--format", "ofac-sdn-csv",
                 "--published", "2024-05-31")  # fmt: skip
    call_command("import_sanctions", SHARED / "un_consolidated_2020.xml", "--format", "un-xml")

    ofac = ListVersion.objects.get(sanctions_list__name="OFAC SDN", is_current=True)
    un = ListVersion.objects.get(sanctions_list__name="UN Consolidated", is_current=True)
    assert (ofac.entry_count, ofac.published) == (14973, dt.date(2024, 5, 31))
    assert ofac.entries.count() == 14973
    assert (un.published, Counter(un.entries.values_list("type", flat=True))) == (
        dt.date(2020, 11, 30), {"individual": 713, "entity": 305},
    )  # fmt: skip
    zawahiri = ofac.entries.get(entry_id="2676").data
    assert zawahiri["birth_dates"][0]["date"] == "1951-06-19"
    assert {"kind": "Passport", "number": "1084010", "country": "EG"} in zawahiri["identifiers"]
    assert "SDGT" in zawahiri["programmes"]
    # What the matcher gets back from the rows is what the parser produced.
    parsed = parse_un_xml(SHARED / "un_consolidated_2020.xml").entries
    assert lists.load_entries([un]) == parsed
    assert AuditEvent.objects.filter(action="sanctions.imported").count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("file_format", "content", "message"),
    [
        ("ofac-sdn-csv", OFAC_SMALL + b'77,"ONLY TWO COLUMNS"\r\n', "Line 301"),
        ("un-xml", UN_SMALL.replace(b"<DATAID>110</DATAID>", b""), r"ENTITIES/ENTITY\[1\]: DATAID"),
        ("un-xml", UN_SMALL[:-40], "line 1, column"),
    ],
)
def test_a_malformed_file_is_refused_naming_the_fault_and_changes_nothing(small_lists, tmp_path, file_format,
                                                                          content, message):  # fmt: skip
    before = (ListVersion.objects.count(), SanctionsEntry.objects.count(), AuditEvent.objects.count())
    current = set(ListVersion.objects.filter(is_current=True).values_list("pk", flat=True))
    bad = tmp_path / "list.bin"
    bad.write_bytes(content)

    with pytest.raises(CommandError, match=message):
        call_command("import_sanctions", bad, "--format", file_format, "--published", "2024-06-30")
    with pytest.raises(MalformedListError, match=message):
        lists.import_file(file_format, content, published=dt.date(2024, 6, 30))

    assert (ListVersion.objects.count(), SanctionsEntry.objects.count(), AuditEvent.objects.count()) == before
    assert set(ListVersion.objects.filter(is_current=True).values_list("pk", flat=True)) == current


@pytest.mark.django_db
def test_reimport_makes_a_new_current_version_and_keeps_the_old_one(small_lists):
    old, _un = small_lists
    new = lists.import_file("ofac-sdn-csv", OFAC_SMALL_NEXT, published=dt.date(2024, 6, 30), system="tests")

    old.refresh_from_db()
    assert not old.is_current and new.is_current
    assert SanctionsList.objects.get(name="OFAC SDN").current == new
    assert (old.entries.count(), new.entries.count()) == (300, 301)  # the old version's entries are kept
    event = AuditEvent.objects.filter(action="sanctions.imported").latest("seq")
    assert event.payload["replaced_version_id"] == old.pk and event.payload["entries"] == 301


@pytest.mark.django_db
def test_ofac_without_publication_date_is_refused_by_the_service():
    with pytest.raises(MalformedListError, match="no publication date"):
        lists.import_file("ofac-sdn-csv", OFAC_SMALL)
    assert not ListVersion.objects.exists()


@pytest.mark.django_db
def test_make_run_loads_the_shared_snapshots_once(settings):
    assert settings.SANCTIONS_LISTS_DIR == SHARED  # by default, the snapshots beside the checkout
    call_command("seed_sanctions_lists")
    call_command("seed_sanctions_lists")  # already current: nothing new

    ofac, un = (ListVersion.objects.get(sanctions_list__name=name) for name in ("OFAC SDN", "UN Consolidated"))
    assert (ofac.entry_count, ofac.published) == (14973, dt.date(2024, 5, 1))  # the month its file name says
    assert (un.entry_count, un.published) == (1018, dt.date(2020, 11, 30))  # the date its XML says


@pytest.mark.django_db
def test_without_the_snapshots_the_shipped_demo_excerpts_are_loaded(settings, tmp_path):
    settings.SANCTIONS_LISTS_DIR = tmp_path / "absent"
    call_command("seed_sanctions_lists")

    current = dict(ListVersion.objects.filter(is_current=True).values_list("sanctions_list__name", "entry_count"))
    assert current == {"OFAC SDN": 60, "UN Consolidated": 31}
    from reviews.counterparties.matcher_cache import current_matcher

    assert current_matcher().matcher  # screening has lists to screen against


@pytest.mark.django_db
def test_an_import_refusal_reads_in_japanese(small_lists, django_user_model):
    from django.utils import translation

    from reviews.counterparties.models import SanctionsImport
    from reviews.counterparties.runs import run_sanctions_import

    job = SanctionsImport.objects.create(
        file_format="ofac-sdn-csv", file_name="bad.csv", data=OFAC_SMALL + b'77,"ONLY TWO COLUMNS"\r\n',
        published=dt.date(2024, 6, 30), requested_by=django_user_model.objects.create_user("importer"),
    )  # fmt: skip
    assert run_sanctions_import(job.pk) == "refused"

    job.refresh_from_db()
    with translation.override("ja"):
        assert job.status_text == "301行目: 列は12個のはずが、2個です。"
    event = AuditEvent.objects.filter(action="sanctions.import_refused").latest("seq")
    assert event.payload["reason"] == "Line 301: expected 12 columns, found 2."
