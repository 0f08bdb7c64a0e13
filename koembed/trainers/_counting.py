"""What GloVe and PPMI share: their count step.

Both count symmetric windowed co-occurrences of the frequent words, on the
engine their ``engine`` parameter names (:mod:`koembed.engines`).
"""

from __future__ import annotations

import time
from typing import Any

from koembed.counts import Cooccurrences, check_memory
from koembed.engines import create_engine
from koembed.progress import ProgressCallback
from koembed.trainers.base import Param

MEMORY_PARAM = Param(
    1.0, float, 0.01, 1_024.0, help="GiB for counting; spills to disk when over it."
)


def check_params(params: dict[str, Any]) -> None:
    """What the count step checks before any work: a memory budget this machine has."""
    check_memory(params["memory"])


def count(
    corpus: Any,
    params: dict[str, Any],
    *,
    distance_weighting: bool,
    progress: ProgressCallback | None,
) -> tuple[Cooccurrences, float]:
    """The counts over ``params["window"]`` words on each side of the words seen
    ``params["min_count"]`` times, and the seconds counting took."""
    started = time.perf_counter()
    counts = create_engine(params["engine"]).count_cooccurrences(
        corpus,
        window=params["window"],
        distance_weighting=distance_weighting,
        symmetric=True,
        min_count=params["min_count"],
        memory=params["memory"],
        progress=progress,
    )
    return counts, time.perf_counter() - started
