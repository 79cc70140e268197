"""Masking JSON Lines files: the engine behind `manage.py mask_pii`.

Input lines are {"id", "text"}; output lines are {"id", "masked", "entities"} with entity offsets
into the input text. All lines of a file are masked as one document (one pseudonym session), in
batches, exactly as the pipeline masks the chunks of a document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict

from worker.pii.masker import Masker

BATCH_SIZE = 64


def parse_lines(lines: Iterable[str]) -> list[tuple[object, str]]:
    """(id, text) of every non-blank line; a ValueError names the first bad line."""
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ValueError(f"line {number}: not JSON ({error.msg})") from None
        if not isinstance(record, dict) or "id" not in record or not isinstance(record.get("text"), str):
            raise ValueError(f'line {number}: expected an object with "id" and a string "text"')
        records.append((record["id"], record["text"]))
    return records


def mask_records(records: list[tuple[object, str]], masker: Masker) -> Iterator[str]:
    """One output JSON line per record, in input order."""
    session = masker.session()
    for offset in range(0, len(records), BATCH_SIZE):
        batch = records[offset:offset + BATCH_SIZE]
        for (record_id, _), result in zip(batch, session.mask_all([text for _, text in batch])):
            record = {"id": record_id, "masked": result.masked.text, "entities": [asdict(e) for e in result.entities]}
            yield json.dumps(record, ensure_ascii=False)
