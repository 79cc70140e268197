"""`manage.py screen --in IN.csv --out OUT.jsonl` over the lists loaded in the database."""

import json

import pytest
from django.core.management import CommandError, call_command

CSV = (
    "id,full_name,date_of_birth,nationality,gender,notes\n"
    "a,Ayman al-Zawahiri,1951-06-19,Egypt,M,ignored\n"
    "b,Jane Q. Ordinary,1980,GB,F,\n"
    "c,KOMID,,,,\n"
)


@pytest.mark.django_db
def test_one_line_per_row_in_order_in_the_issue_format(small_lists, tmp_path):
    source, target = tmp_path / "in.csv", tmp_path / "out.jsonl"
    source.write_text(CSV, encoding="utf-8")

    call_command("screen", "--in", source, "--out", target)

    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["row"] for r in rows] == [0, 1, 2]
    for row in rows:
        assert set(row) == {"row", "decision", "best_score", "matches"}
        assert row["decision"] in {"match", "review", "clear"} and isinstance(row["best_score"], float)
        for match in row["matches"]:
            assert set(match) == {"list", "entry_id", "name", "score", "why"}
    zawahiri, ordinary, komid = rows
    assert zawahiri["decision"] == "match" and zawahiri["matches"][0]["entry_id"] == "2676"
    assert zawahiri["matches"][0]["why"]["adjustments"], "the birth date and country are explained"
    assert ordinary == {"row": 1, "decision": "clear", "best_score": ordinary["best_score"], "matches": []}
    assert komid["matches"][0] | {"score": None, "why": None} == {
        "list": "UN Consolidated", "entry_id": "110", "name": "KOREA MINING DEVELOPMENT TRADING CORPORATION",
        "score": None, "why": None,
    }  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("full_name,date_of_birth\nA Person,1970\nB Person,19x1\n", "row 1: date of birth"),
        ("full_name,nationality\nA Person,Atlantis\n", "row 0: nationality 'Atlantis'"),
        ("name\nA Person\n", "no full_name column"),
    ],
)
def test_a_bad_row_refuses_the_whole_file_and_writes_nothing(small_lists, tmp_path, content, message):
    source, target = tmp_path / "in.csv", tmp_path / "out.jsonl"
    source.write_text(content, encoding="utf-8")

    with pytest.raises(CommandError, match=message):
        call_command("screen", "--in", source, "--out", target)
    assert not target.exists()


@pytest.mark.django_db
def test_screening_without_loaded_lists_is_refused(tmp_path):
    source = tmp_path / "in.csv"
    source.write_text("full_name\nA Person\n", encoding="utf-8")
    with pytest.raises(CommandError, match="No sanctions list is loaded"):
        call_command("screen", "--in", source, "--out", tmp_path / "out.jsonl")


@pytest.mark.django_db
def test_a_list_of_two_names_is_screened_too(tmp_path):
    from reviews.counterparties import lists
    from tests.counterparties.lists_data import UN_SMALL

    lists.import_file("un-xml", UN_SMALL, system="tests")  # two names only, as a small in-house list
    source, out = tmp_path / "in.csv", tmp_path / "out.jsonl"
    source.write_text("full_name\nRi Won Ho\nJane Smith\n", encoding="utf-8")
    call_command("screen", "--in", source, "--out", out)
    listed, ordinary = (json.loads(line) for line in out.read_text(encoding="utf-8").splitlines())
    assert listed["decision"] in {"match", "review"} and listed["matches"][0]["entry_id"] == "6908555"
    assert ordinary["decision"] == "clear"
