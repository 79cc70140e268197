"""Run several maskers over the same inputs, alternating, and time each: the benchmarks' fair comparison."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any


def run_side_by_side(texts: Sequence[Any], maskers: dict[str, Callable[[Any], Any]]) -> dict[str, tuple[list, float]]:
    """Each masker's output per input (a text, or a batch of texts) and its total seconds. Inputs alternate
    between the maskers, so that load from other processes falls on all alike; each is warmed up on the first."""
    outputs: dict[str, list] = {name: [] for name in maskers}
    seconds = dict.fromkeys(maskers, 0.0)
    for masker in maskers.values():
        masker(texts[0])
    for text in texts:
        for name, masker in maskers.items():
            started = time.perf_counter()
            outputs[name].append(masker(text))
            seconds[name] += time.perf_counter() - started
    return {name: (outputs[name], seconds[name]) for name in maskers}
