"""Extraction speed on a generated ~300k-character contract as PDF, DOCX and TXT.

Run: .venv/bin/python bench/bench_extraction.py   (needs the dev extra for reportlab)
"""

import io
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import docx
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # run from anywhere, like the other benches

from worker.extraction import extract_text  # noqa: E402

TARGET_CHARS = 300_000
RUNS = 5
WORDS = (
    "the supplier customer shall agreement party parties term termination notice days written liability "
    "indemnify losses damages confidential information law governing court jurisdiction payment invoice "
    "fees services deliverables breach remedy warranty intellectual property rights licence assign"
).split()


def paragraphs() -> list[str]:
    rng = random.Random(0)
    result: list[str] = []
    total = 0
    clause = 0
    while total < TARGET_CHARS:
        clause += 1
        sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 90)))
        result.append(f"{clause}. {sentence.capitalize()}.")
        total += len(result[-1]) + 2
    return result


def as_pdf(texts: list[str]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4)
    y = 800
    for text in texts:
        words = text.split()
        while words:
            line: list[str] = []
            while words and len(" ".join([*line, words[0]])) <= 95:
                line.append(words.pop(0))
            pdf.drawString(40, y, " ".join(line))
            y -= 14
            if y < 40:
                pdf.showPage()
                y = 800
        y -= 10
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def as_docx(texts: list[str]) -> bytes:
    document = docx.Document()
    for text in texts:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def as_txt(texts: list[str]) -> bytes:
    return "\r\n\r\n".join(texts).encode()


def as_cp1252_txt(texts: list[str]) -> bytes:
    # Not UTF-8, so this one goes through charset detection.
    return "\r\n\r\n".join(texts).replace("the ", "thé ").encode("cp1252")


def main() -> None:
    texts = paragraphs()
    cases: list[tuple[str, str, Callable[[list[str]], bytes]]] = [
        ("pdf", "pdf", as_pdf),
        ("docx", "docx", as_docx),
        ("txt", "txt", as_txt),
        ("txt-cp1252", "txt", as_cp1252_txt),
    ]
    print(f"{'input':<10} {'bytes':>9} {'pages':>5} {'chars':>8} {'median s':>9} {'max s':>7}  ({RUNS} runs)")
    for label, kind, make in cases:
        data = make(texts)
        timings = []
        for _ in range(RUNS):
            start = time.perf_counter()
            document = extract_text(data)
            timings.append(time.perf_counter() - start)
        assert document.kind == kind
        print(
            f"{label:<10} {len(data):>9} {document.pages or '-':>5} {len(document.text):>8} "
            f"{statistics.median(timings):>9.3f} {max(timings):>7.3f}"
        )


if __name__ == "__main__":
    main()
