"""PII masking benchmark: our masker against stock Presidio on the synthetic labelled corpus.

    .venv/bin/python bench/bench_pii.py [--documents 70] [--seed 20261128] [--heldout] [--per-paragraph]

Prints, for both: token-level precision, recall and F2 (a token counts as masked if any of its
characters is), per planted type how many values had every word masked, how many planted high-risk
values (names, e-mails, phones, cards, IBANs, SSNs) are still readable in the masked text, how many
company names were masked away, and characters per second of analyze + anonymize on paragraph-sized
chunks, measured side by side. Stock Presidio is AnalyzerEngine with the same spaCy model and its
default recognizers, one analyze + anonymize call per paragraph; ours masks a document's paragraphs
in one session (`--per-paragraph`: a new session per paragraph, so no help from the rest of the
document).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

# Stock Presidio's e-mail check uses tldextract's module-level extractor: point it at the bundled
# suffix list so the baseline does not wait on the network either.
os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository root, for `worker`

import regex  # noqa: E402
from pii_corpus import HIGH_RISK, Document, build_corpus  # noqa: E402
from presidio_analyzer import AnalyzerEngine  # noqa: E402
from presidio_analyzer.nlp_engine import NlpEngineProvider  # noqa: E402
from presidio_anonymizer import AnonymizerEngine  # noqa: E402

from worker.pii import Masker  # noqa: E402
from worker.pii.analyzer import SPACY_MODEL  # noqa: E402

TOKEN = regex.compile(r"\w+")
# (masked text, predicted spans) for each paragraph of a document
Masked = list[tuple[str, list[tuple[int, int]]]]


def stock_presidio() -> Callable[[Document], Masked]:
    nlp_engine = NlpEngineProvider(
        nlp_configuration={
            "nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": SPACY_MODEL}]
        }
    ).create_engine()
    analyzer = AnalyzerEngine(nlp_engine=nlp_engine)
    anonymizer = AnonymizerEngine()

    def run(document: Document) -> Masked:
        out = []
        for paragraph in document.paragraphs:
            results = analyzer.analyze(paragraph.text, language="en")
            masked = anonymizer.anonymize(paragraph.text, results).text
            out.append((masked, [(r.start, r.end) for r in results]))
        return out

    return run


def ours(*, per_paragraph: bool) -> Callable[[Document], Masked]:
    masker = Masker()

    def run(document: Document) -> Masked:
        texts = [p.text for p in document.paragraphs]
        if per_paragraph:
            results = [masker.session().mask(text) for text in texts]
        else:
            results = masker.session().mask_all(texts)
        return [(r.masked.text, [(e.start, e.end) for e in r.entities]) for r in results]

    return run


def run_side_by_side(
    corpus: Sequence[Document], maskers: dict[str, Callable[[Document], Masked]]
) -> dict[str, tuple[list[Masked], float]]:
    """Each masker's output and total seconds; documents alternate between the maskers so that
    load from other processes on the machine falls on both alike."""
    outputs: dict[str, list[Masked]] = {name: [] for name in maskers}
    seconds = dict.fromkeys(maskers, 0.0)
    for masker in maskers.values():
        masker(corpus[0])  # warm-up: lazy regex compilation, first spaCy call
    for document in corpus:
        for name, masker in maskers.items():
            started = time.perf_counter()
            outputs[name].append(masker(document))
            seconds[name] += time.perf_counter() - started
    return {name: (outputs[name], seconds[name]) for name in maskers}


def _covered(length: int, spans: Sequence[tuple[int, int]]) -> bytearray:
    """One byte per character: 1 where a span covers it."""
    covered = bytearray(length)
    for start, end in spans:
        covered[start:end] = b"\1" * (end - start)
    return covered


def report(name: str, corpus: Sequence[Document], outputs: list[Masked], elapsed: float) -> float:
    """Print the figures of one masker; returns its characters per second."""
    chars = sum(len(p.text) for d in corpus for p in d.paragraphs)

    tp = fp = fn = leaks = planted = companies = companies_masked = 0
    found, total = Counter(), Counter()
    for document, output in zip(corpus, outputs):
        for paragraph, (masked, spans) in zip(document.paragraphs, output):
            predicted = _covered(len(paragraph.text), spans)
            gold = _covered(len(paragraph.text), [(s.start, s.end) for s in paragraph.spans])
            for token in TOKEN.finditer(paragraph.text):
                is_gold = any(gold[token.start():token.end()])
                is_predicted = any(predicted[token.start():token.end()])
                tp += is_gold and is_predicted
                fp += is_predicted and not is_gold
                fn += is_gold and not is_predicted
            for span in paragraph.spans:
                total[span.type] += 1
                words = TOKEN.finditer(paragraph.text, span.start, span.end)
                found[span.type] += all(any(predicted[w.start():w.end()]) for w in words)
                if span.type in HIGH_RISK:
                    planted += 1
                    leaks += paragraph.text[span.start:span.end] in masked
        for company in {c for c in document.companies if any(c in p.text for p in document.paragraphs)}:
            companies += 1
            companies_masked += all(company not in masked for masked, _ in output)
    precision, recall = tp / max(tp + fp, 1), tp / max(tp + fn, 1)
    f2 = 5 * precision * recall / max(4 * precision + recall, 1e-9)
    print(f"== {name}")
    print(f"token precision {precision:.3f}  recall {recall:.3f}  F2 {f2:.3f}")
    print(f"high-risk values left readable: {leaks} of {planted}")
    print(f"company names masked away: {companies_masked} of {companies}")
    per_type = ", ".join(f"{kind} {found[kind]}/{total[kind]}" for kind in sorted(total))
    print(f"values with every word masked, per type: {per_type}")
    print(f"speed: {chars} chars in {elapsed:.2f} s = {chars / elapsed:,.0f} chars/s")
    return chars / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--documents", type=int, default=70)
    parser.add_argument("--seed", type=int, default=20261128)
    parser.add_argument("--heldout", action="store_true", help="sentence shapes never used for tuning")
    parser.add_argument("--per-paragraph", action="store_true", help="a new masking session per paragraph")
    parser.add_argument("--only", choices=("ours", "stock"))
    args = parser.parse_args()
    corpus = build_corpus(args.documents, args.seed, heldout=args.heldout)
    kind = "held-out shapes" if args.heldout else "tuning shapes"
    print(f"corpus ({kind}): {args.documents} documents, {sum(len(d.paragraphs) for d in corpus)} paragraphs")
    maskers = {}
    if args.only != "stock":
        scope = "paragraph" if args.per_paragraph else "document"
        maskers[f"ours (worker.pii.Masker, one session per {scope})"] = ours(per_paragraph=args.per_paragraph)
    if args.only != "ours":
        maskers["stock Presidio (default recognizers, same spaCy model)"] = stock_presidio()
    speeds = [report(name, corpus, *result) for name, result in run_side_by_side(corpus, maskers).items()]
    if len(speeds) == 2:
        print(f"== speed ratio ours / stock: {speeds[0] / speeds[1]:.2f}x")


if __name__ == "__main__":
    main()
