"""What an NDA is about, found in real NDAs: the categories the NDA playbook reads by headings and set phrases.

Run: .venv/bin/python bench/bench_nda_categories.py

The NDAs in the CUAD development split (a stand-alone one and three inside longer filings) were read by hand
(bench/data/nda_categories_checked.json): which categories each has and which of the four usual exclusions it states.
Here each is read by worker/articles.py (headings and set phrases; the classifier is not used) and by the NDA
playbook's exclusion rules, and compared with that reading. The set phrases were refined after reading these NDAs,
so the figures flatter.
"""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from worker.articles import heading_spans
from worker.clauses.dataset import dataset_dir
from worker.playbook import Playbook, apply_playbook

ROOT = Path(__file__).resolve().parents[1]
CHECKED = Path(__file__).parent / "data" / "nda_categories_checked.json"
EXCLUSION_RULES = {
    "public": "nda-exclusion-public", "prior knowledge": "nda-exclusion-prior-knowledge",
    "independent development": "nda-exclusion-independent", "third party": "nda-exclusion-third-party",
}  # fmt: skip


def _nda_text(row: dict) -> str:
    text = (dataset_dir() / "contracts" / row["contract"]).read_text(encoding="utf-8")
    start = text.index(row["from"]) if row["from"] else 0
    return text[start : text.index(row["to"], start) if row["to"] else len(text)]


def main() -> None:
    playbook = Playbook.model_validate(json.loads((ROOT / "reviews/contracts/playbooks/nda.json").read_text()))
    ndas = json.loads(CHECKED.read_text(encoding="utf-8"))["ndas"]
    agree = total = 0
    for row in ndas:
        text = _nda_text(row)
        spans = heading_spans(text)
        found = {span.category for span in spans}
        flagged = {f.rule_id for f in apply_playbook(playbook, text, spans)}
        print(f"== {row['contract'][:70]} ({len(text)} chars)")
        for category, present in row["present"].items():
            right = (category in found) is present
            agree, total = agree + right, total + 1
            print(f"   {category:40} hand {'yes' if present else 'no':3}  read {'yes' if category in found else 'no':3}"
                  f"{'' if right else '   <- differs'}")  # fmt: skip
        for exclusion, stated in row["exclusions"].items():
            read = EXCLUSION_RULES[exclusion] not in flagged and "nda-exclusions" not in flagged
            agree, total = agree + (read is stated), total + 1
            print(f"   {'exclusion: ' + exclusion:40} hand {'yes' if stated else 'no':3}  "
                  f"read {'yes' if read else 'no':3}"
                  f"{'' if read is stated else '   <- differs'}")  # fmt: skip
    print(f"agreement with the hand reading: {agree} of {total} ({agree / total:.0%}) over {len(ndas)} NDAs")


if __name__ == "__main__":
    main()
