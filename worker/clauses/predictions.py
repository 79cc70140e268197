"""Batch clause extraction over a folder of .txt contracts, as prediction lines CUAD's scorer reads."""

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from worker.clauses.model import ClauseSpan


class Classifier(Protocol):
    def classify(self, text: str) -> list[ClauseSpan]: ...


def predictions(input_dir: Path, classifier: Classifier) -> Iterator[dict]:
    """One {"file", "category", "start", "end", "score"} record per span, offsets into the text as read."""
    for path in sorted(input_dir.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        for span in classifier.classify(text):
            yield {
                "file": path.name,
                "category": span.category,
                "start": span.start,
                "end": span.end,
                "score": round(span.score, 6),
            }


def write_predictions(input_dir: Path, out: Path, classifier: Classifier) -> int:
    """Write the predictions as JSON Lines; written beside `out` and renamed, so a failure leaves none."""
    partial = out.with_name(out.name + ".partial")
    count = 0
    try:
        with partial.open("w", encoding="utf-8") as lines:
            for record in predictions(input_dir, classifier):
                lines.write(json.dumps(record, ensure_ascii=False) + "\n")
                count += 1
        partial.replace(out)
    finally:
        partial.unlink(missing_ok=True)
    return count
