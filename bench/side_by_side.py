"""Run several maskers over the same texts, alternating, and time each: the benchmarks' fair comparison."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence

Spans = list[tuple[int, int]]


def run_side_by_side(texts: Sequence[str], maskers: dict[str, Callable[[str], Spans]]) -> dict[str, tuple[list[Spans], float]]:
    """Each masker's spans per text and its total seconds. Texts alternate between the maskers, so that load
    from other processes on the machine falls on all of them alike; each is warmed up on the first text."""
    outputs: dict[str, list[Spans]] = {name: [] for name in maskers}
    seconds = dict.fromkeys(maskers, 0.0)
    for masker in maskers.values():
        masker(texts[0])
    for text in texts:
        for name, masker in maskers.items():
            started = time.perf_counter()
            outputs[name].append(masker(text))
            seconds[name] += time.perf_counter() - started
    return {name: (outputs[name], seconds[name]) for name in maskers}
