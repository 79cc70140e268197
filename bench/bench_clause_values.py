"""Values read from clauses: the notice period a renewal rule reads, on the lawyers' spans in CUAD.

Run: .venv/bin/python bench/bench_clause_values.py

Every span CUAD labels "Notice Period to Terminate Renewal" was read by hand (bench/data/notice_periods_checked.jsonl:
contract, offsets, span and the notice periods it states, in days). The value a rule reads (the longest, as a
max_duration rule does) is compared with that reading, before (every period in the span, the longest) and after
(the renewal notice period, read by its cue words). The spans were read while the cue words were written, so the
hand-checked figure flatters; CUAD's own normalized answers per contract are a second check we did not write.
Also shown: what the liability cap reader gives on the "Cap on Liability" spans (not hand checked).
"""

import json
import re
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from worker.clauses.dataset import dataset_dir
from worker.playbook.values import Quantity, durations, liability_cap

CHECKED = Path(__file__).parent / "data" / "notice_periods_checked.jsonl"
NOTICE = "Notice Period to Terminate Renewal"


def before(span: str) -> int | None:
    return max((d.days for d in durations(span)), default=None)


def after(span: str) -> int | None:
    return max((d.days for d in durations(span, Quantity.RENEWAL_NOTICE)), default=None)


def answer_days(answer: str | None) -> int | None:
    """CUAD's normalized answer ("30 days", "6 months", "60 days; 180 days") in days, the longest."""
    units = {"day": 1, "month": 30, "year": 365}
    found = [int(n) * units[u.lower()] for n, u in re.findall(r"(\d+)\)?\s*(day|month|year)", answer or "", re.I)]
    return max(found, default=None)


def main() -> None:
    folder = dataset_dir()
    labels = [json.loads(line) for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines()]
    checked = [json.loads(line) for line in CHECKED.read_text(encoding="utf-8").splitlines()]
    texts = {row["file"]: (folder / "contracts" / row["file"]).read_text(encoding="utf-8") for row in labels}
    for row in checked:  # anyone can recheck: the span is verbatim at its offsets
        assert texts[row["contract"]][row["start"] : row["end"]] == row["span"], row["contract"]

    spans = [(row["file"], texts[row["file"]][s:e]) for row in labels for s, e in row["spans"].get(NOTICE, [])]
    contracts = len({file for file, _ in spans})
    print(f"{NOTICE}: {len(spans)} labelled spans in {contracts} contracts; {len(checked)} read by hand")
    print(f"  {'':34} {'before (longest period)':>24} {'after (notice period)':>22}")
    print(f"  {'spans giving a value':34} {sum(before(s) is not None for _, s in spans):>24} "
          f"{sum(after(s) is not None for _, s in spans):>22}")  # fmt: skip

    stated = [row for row in checked if row["notice_days"]]
    for name, reader in (("before", before), ("after", after)):
        given = [row for row in stated if reader(row["span"]) is not None]
        right = [row for row in given if reader(row["span"]) == max(row["notice_days"])]
        silent = [row for row in checked if not row["notice_days"] and reader(row["span"]) is None]
        exact = len(right) + len(silent)
        print(f"  {name}: of {len(stated)} spans stating a notice period, {len(given)} give a value and {len(right)} "
              f"of those agree with the hand reading; {len(silent)} of {len(checked) - len(stated)} spans stating none "
              f"give none; agreement over all {len(checked)}: {exact} ({exact / len(checked):.0%})")  # fmt: skip

    answered = {row["file"]: answer_days(row["answers"].get(NOTICE)) for row in labels if NOTICE in row["spans"]}
    answered = {file: days for file, days in answered.items() if days is not None}
    for name, reader in (("before", before), ("after", after)):
        read = {file: max((v for f, s in spans if f == file and (v := reader(s)) is not None), default=None)
                for file in answered}  # fmt: skip
        agree = sum(read[file] == days for file, days in answered.items())
        given = sum(v is not None for v in read.values())
        print(f"  {name}: CUAD's answer per contract ({len(answered)} contracts with a period): {given} give a value, "
              f"{agree} agree")  # fmt: skip

    caps = [liability_cap(texts[row["file"]][start:end])
            for row in labels for start, end in row["spans"].get("Cap on Liability", [])]  # fmt: skip
    kinds = Counter(
        "months of fees" if cap.months is not None else "multiple of fees" if cap.times_fees
        else "amount" if cap.amounts else "nothing"
        for cap in caps
    )  # fmt: skip
    print(f"Cap on Liability: {len(caps)} labelled spans read as "
          + ", ".join(f"{kind} {count}" for kind, count in kinds.most_common()))  # fmt: skip


if __name__ == "__main__":
    main()
