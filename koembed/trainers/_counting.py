"""What GloVe and PPMI share: their count step, and its memory and engine.

Both count symmetric windowed co-occurrences of the frequent words, on the
engine their ``engine`` parameter names (:mod:`koembed.engines`).
"""

from __future__ import annotations

import time
from typing import Any, ClassVar

from koembed.counts import Cooccurrences, check_memory
from koembed.engines import create_engine
from koembed.progress import ProgressCallback
from koembed.trainers.base import Param, Trainer

MEMORY_PARAM = Param(
    1.0, float, 0.01, 1_024.0, help="GiB for counting; spills to disk when over it."
)


class CountingTrainer(Trainer):
    """A trainer whose first step counts co-occurrences: its ``memory`` budget is
    checked before any work, and :meth:`count` counts on the ``engine`` named.

    Subclasses set ``distance_weighting`` (1/d weights, as GloVe, or plain counts).
    """

    distance_weighting: ClassVar[bool]

    def _check_together(self, params: dict[str, Any]) -> None:
        check_memory(params["memory"])

    def count(
        self, corpus: Any, params: dict[str, Any], progress: ProgressCallback | None
    ) -> tuple[Cooccurrences, float]:
        """The counts over ``params["window"]`` words on each side of the words seen
        ``params["min_count"]`` times, and the seconds counting took."""
        started = time.perf_counter()
        counts = create_engine(params["engine"]).count_cooccurrences(
            corpus,
            window=params["window"],
            distance_weighting=self.distance_weighting,
            symmetric=True,
            min_count=params["min_count"],
            memory=params["memory"],
            progress=progress,
        )
        return counts, time.perf_counter() - started
