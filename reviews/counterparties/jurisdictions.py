"""The seed of the jurisdiction risk table (jurisdictions.json: a FATF snapshot that compliance maintains)."""

import json
from pathlib import Path

SEED_FILE = Path(__file__).with_name("jurisdictions.json")


def seed_rows() -> list[dict]:
    return json.loads(SEED_FILE.read_text(encoding="utf-8"))["countries"]


def seed_jurisdictions(model) -> int:
    """Add the seed's countries that are not in the table yet (edits by compliance are kept); returns how many."""
    added = 0
    for row in seed_rows():
        _risk, created = model.objects.get_or_create(
            country=row["country"], defaults={"level": row["level"], "source": row["source"]}
        )
        added += created
    return added
