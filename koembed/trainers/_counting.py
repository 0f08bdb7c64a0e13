"""What GloVe and PPMI share: their count step.

Both count symmetric windowed co-occurrences of the frequent words, on the
engine their ``engine`` parameter names (:mod:`koembed.engines`).
"""

from __future__ import annotations

import time
from typing import Any

from koembed.counts import Cooccurrences
from koembed.engines import create_engine
from koembed.progress import ProgressCallback


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
