"""Read the CUAD split (contracts/ and labels.jsonl, see its DATA.md) and split it reproducibly."""

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

# The shared CUAD split sits next to the checkout (../shared/datasets/cuad); CUAD_DIR overrides it.
DEFAULT_DATASET_DIR = Path(__file__).resolve().parents[3] / "shared" / "datasets" / "cuad"


@dataclass(frozen=True, slots=True)
class LabelledContract:
    file: str
    text: str
    spans: dict[str, list[tuple[int, int]]]


def dataset_dir() -> Path:
    return Path(os.environ.get("CUAD_DIR", DEFAULT_DATASET_DIR))


def load_contracts(directory: Path) -> list[LabelledContract]:
    contracts = []
    with open(directory / "labels.jsonl", encoding="utf-8") as labels:
        for line in labels:
            row = json.loads(line)
            text = (directory / "contracts" / row["file"]).read_text(encoding="utf-8")
            spans = {category: [(s, e) for s, e in pairs] for category, pairs in row["spans"].items()}
            contracts.append(LabelledContract(row["file"], text, spans))
    return sorted(contracts, key=lambda c: c.file)


def is_validation(file: str, fraction: float) -> bool:
    """A fixed split that depends on the file name only, so it never moves between runs or machines.

    Salted: the contracts kept apart from this split were themselves chosen by an unsalted name hash.
    """
    digest = hashlib.sha256(b"workbench-validation:" + file.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < fraction


def dataset_sha256(directory: Path) -> str:
    """One digest over labels.jsonl and every contract file, in name order."""
    digest = hashlib.sha256()
    paths = [directory / "labels.jsonl", *sorted((directory / "contracts").glob("*.txt"))]
    for path in paths:
        digest.update(path.name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
