"""Clause extraction: validation quality (CUAD metric) and segment + classify speed on one core.

Run: .venv/bin/python bench/bench_clauses.py
Trains the model first unless the artifact for the current dataset, code and parameters is cached.
The validation contracts are scored twice: by the metric recorded at training time and by the shared
CUAD scorer (/work/shared/tools/cuad_score.py) on the extract_clauses output, as a cross-check.
"""

import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_NUM_THREADS", "1")  # measure on one core

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from worker.clauses import ClauseClassifier
from worker.clauses.dataset import dataset_dir, is_validation, load_contracts
from worker.clauses.predictions import write_predictions
from worker.segmentation import segment

SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "cuad_score.py"


def main() -> None:
    started = time.perf_counter()
    classifier = ClauseClassifier.train_or_load()
    info = classifier.info
    print(
        f"artifact {info.name} {info.version} sha256 {info.sha256[:16]}... "
        f"(ready in {time.perf_counter() - started:.1f} s; training took {info.training_seconds} s)"
    )
    overall = info.metrics["overall"]
    print(
        f"validation ({info.metrics['contracts']} contracts): AUPR {overall['aupr']:.3f}  "
        f"P@80R {overall['p_at_80r']:.3f}  P@90R {overall['p_at_90r']:.3f}  max recall {overall['max_recall']:.3f}"
    )
    weakest = sorted(info.metrics["per_category"].items(), key=lambda kv: kv[1]["aupr"])[:8]
    print("weakest categories: " + ", ".join(f"{c} {m['aupr']:.2f}" for c, m in weakest))

    dataset = dataset_dir()
    validation = [
        c for c in load_contracts(dataset) if is_validation(c.file, info.params["validation_fraction"])
    ]
    segment_times, classify_times = [], []
    for contract in validation:
        t0 = time.perf_counter()
        segment(contract.text)
        t1 = time.perf_counter()
        classifier.classify(contract.text)
        classify_times.append(time.perf_counter() - t1)
        segment_times.append(t1 - t0)
    sizes = [len(c.text) for c in validation]
    median = sorted(range(len(validation)), key=lambda i: sizes[i])[len(validation) // 2]
    largest = max(range(len(validation)), key=lambda i: sizes[i])
    print(
        f"segment: median {statistics.median(segment_times) * 1000:.1f} ms, "
        f"largest ({sizes[largest]} chars) {segment_times[largest] * 1000:.1f} ms"
    )
    print(
        f"segment + classify: median-size contract ({sizes[median]} chars) {classify_times[median]:.2f} s, "
        f"largest {classify_times[largest]:.2f} s, {60 * len(validation) / sum(classify_times):.1f} contracts/min "
        f"over {len(validation)} validation contracts"
    )

    if SCORER.exists():
        _cross_check(dataset, validation, classifier)


def _cross_check(dataset: Path, validation, classifier: ClauseClassifier) -> None:
    """Score the extract_clauses output on the validation contracts with the shared CUAD scorer."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "cuad"
        (folder / "contracts").mkdir(parents=True)
        names = {c.file for c in validation}
        shutil.copy(dataset / "categories.csv", folder / "categories.csv")
        with (
            open(dataset / "labels.jsonl", encoding="utf-8") as src,
            open(folder / "labels.jsonl", "w", encoding="utf-8") as dst,
        ):
            dst.writelines(line for line in src if json.loads(line)["file"] in names)
        for name in names:
            shutil.copy(dataset / "contracts" / name, folder / "contracts" / name)
        out = Path(tmp) / "predictions.jsonl"
        write_predictions(folder / "contracts", out, classifier)
        result = subprocess.run(
            [sys.executable, str(SCORER), str(folder), str(out)], capture_output=True, text=True, check=True
        )
        print("shared scorer on extract_clauses output: " + result.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
