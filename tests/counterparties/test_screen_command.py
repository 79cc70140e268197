"""`manage.py screen --in IN.csv --out OUT.jsonl` over the lists loaded in the database."""

import csv
import io
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


# A public file as people have it: dates and countries written every which way, a day that does not exist,
# a row without a name, and a note running over two lines.
MESSY_CSV = (
    "full_name,date_of_birth,nationality,notes\n"
    "Ayman al-Zawahiri,19 June 1951,エジプト,\n"  # line 2
    "Ri Won Ho,1964年7月17日,北朝鮮,\n"
    "Jane Q. Ordinary,1969-02-30,East Timor,\n"  # line 4
    "John Doe,1969-7-16,Brunei,\"two\nlines\"\n"
    ",1970,GB,\n"  # line 7
    "A Person,19x1,Atlantis,\n"
    "\n"
    "Jan Novak,\"July 16, 1969\",Czech Republic,\n"  # line 10, after a blank line
)


@pytest.mark.django_db
def test_a_file_as_people_have_it_is_screened_row_by_row_and_its_problems_listed(small_lists, tmp_path):
    source, target, errors = tmp_path / "in.csv", tmp_path / "out.jsonl", tmp_path / "errors.csv"
    source.write_text(MESSY_CSV, encoding="utf-8")

    call_command("screen", "--in", source, "--out", target, "--errors", errors)

    rows = [json.loads(line) for line in target.read_text(encoding="utf-8").splitlines()]
    assert [r["row"] for r in rows] == [0, 1, 2, 3, 4, 5, 6]
    zawahiri, ri, ordinary, doe, nameless, person, novak = rows
    assert zawahiri["decision"] == "match" and zawahiri["matches"][0]["entry_id"] == "2676"
    explained = {a["kind"]: a["detail"] for a in zawahiri["matches"][0]["why"]["adjustments"]}
    assert explained["birth_date"] == "date of birth 1951-06-19 matches"  # "19 June 1951"
    assert explained["country"] == "country EG matches"  # エジプト
    ri_why = {a["kind"]: a["detail"] for a in ri["matches"][0]["why"]["adjustments"]}
    assert ri["matches"][0]["entry_id"] == "6908555" and ri_why["birth_date"] == "date of birth 1964-07-17 matches"
    assert [r["decision"] for r in (ordinary, doe, person, novak)] == ["clear"] * 4  # screened on the rest
    assert nameless == {"row": 4, "decision": "skipped", "best_score": None, "matches": []}

    with errors.open(encoding="utf-8-sig", newline="") as handle:
        listed = list(csv.DictReader(handle))
    assert [(p["line"], p["row"], p["column"], p["value"], p["outcome"]) for p in listed] == [
        ("4", "2", "date_of_birth", "1969-02-30", "screened without it"),
        ("7", "4", "full_name", "", "not screened"),
        ("8", "5", "date_of_birth", "19x1", "screened without it"),
        ("8", "5", "nationality", "Atlantis", "screened without it"),
    ]
    assert listed[0]["reason"] == "“1969-02-30” does not exist in the calendar."
    assert listed[2]["reason"].startswith("“19x1” is not a date: write it as 1969, 1969-07-16")
    assert listed[3]["reason"] == "“Atlantis” is not a country code or name."


@pytest.mark.django_db
def test_without_an_errors_file_the_problems_go_to_stderr(small_lists, tmp_path):
    source, target, stderr = tmp_path / "in.csv", tmp_path / "out.jsonl", io.StringIO()
    source.write_text("full_name,date_of_birth\nA Person,1970\nB Person,1969-02-30\n", encoding="utf-8")

    call_command("screen", "--in", source, "--out", target, stderr=stderr)

    assert len(target.read_text(encoding="utf-8").splitlines()) == 2
    assert "line 3: date_of_birth: “1969-02-30” does not exist in the calendar. (screened without it)" in (
        stderr.getvalue()
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("name\nA Person\n".encode(), "no full_name column"),
        ("full_name,nationality\n山田太郎,日本\n".encode("cp932"), "cannot read .* as UTF-8 CSV"),
        (b"", "no full_name column"),
    ],
)
def test_only_an_unreadable_file_is_refused_and_then_nothing_is_written(small_lists, tmp_path, content, message):
    source, target = tmp_path / "in.csv", tmp_path / "out.jsonl"
    source.write_bytes(content)

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
