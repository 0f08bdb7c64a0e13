"""What GloVe, PPMI and Swivel share: their count step, and its memory and engine.

Both count symmetric windowed co-occurrences of the frequent words, on the
engine their ``engine`` parameter names (:mod:`koembed.engines`).
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import os
import time
from collections import OrderedDict
from types import ModuleType
from typing import Any, ClassVar

import numpy as np

from koembed.counts import Cooccurrences, Vocabulary, check_memory
from koembed.engines import create_engine
from koembed.errors import BadInputError, MissingDependencyError
from koembed.models import Embeddings
from koembed.progress import ProgressCallback, report
from koembed.trainers.base import Param, Trainer

log = logging.getLogger(__name__)

MEMORY_PARAM = Param(
    1.0, float, 0.01, 1_024.0, help="GiB for counting; spills to disk when over it."
)


class SharedCounts:
    """Co-occurrence counts kept between trainings that count alike, so a series of
    them (``koembed tune``) counts each corpus, window and min_count once.

    Holds the last ``keep`` counts; each trainer gets its own shallow copy (GloVe
    lets go of the arrays it has shuffled, the kept ones stay whole).
    """

    def __init__(self, keep: int = 1):
        self.keep = keep
        self._counts: OrderedDict[tuple, tuple[Cooccurrences, float]] = OrderedDict()
        self.hits = 0
        self.seconds_saved = 0.0

    def counted(self, key: tuple, count: Any) -> tuple[Cooccurrences, float]:
        """The counts for ``key``: kept ones (and 0 seconds), or ``count()``'s."""
        if key in self._counts:
            counts, seconds = self._counts[key]
            self._counts.move_to_end(key)
            self.hits += 1
            self.seconds_saved += seconds
            log.info("reusing the co-occurrence counts of %s (saved %.1f s)", key[0], seconds)
            return dataclasses.replace(counts), 0.0
        while len(self._counts) >= self.keep:  # let go before counting anew: memory
            self._counts.popitem(last=False)
        counts, seconds = count()
        self._counts[key] = (counts, seconds)
        return dataclasses.replace(counts), seconds


class CountingTrainer(Trainer):
    """A trainer whose first step counts co-occurrences: its ``memory`` budget is
    checked before any work, and :meth:`count` counts on the ``engine`` named.

    Subclasses set ``distance_weighting`` (1/d weights, as GloVe, or plain counts).
    ``shared_counts``, when set, reuses counts another training made alike.
    """

    distance_weighting: ClassVar[bool]
    shared_counts: SharedCounts | None = None

    def _check_together(self, params: dict[str, Any]) -> None:
        check_memory(params["memory"])

    def count(
        self, corpus: Any, params: dict[str, Any], progress: ProgressCallback | None
    ) -> tuple[Cooccurrences, float]:
        """The counts over ``params["window"]`` words on each side of the words seen
        ``params["min_count"]`` times, and the seconds counting took."""
        path = getattr(corpus, "path", None)
        if self.shared_counts is None or path is None:
            return self._count_now(corpus, params, progress)
        stat = os.stat(path)
        key = (str(path), stat.st_size, stat.st_mtime_ns, params["window"],
               params["min_count"], self.distance_weighting, params["engine"])  # fmt: skip
        return self.shared_counts.counted(key, lambda: self._count_now(corpus, params, progress))

    def _count_now(
        self, corpus: Any, params: dict[str, Any], progress: ProgressCallback | None
    ) -> tuple[Cooccurrences, float]:
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

    def count_pairs(
        self, corpus: Any, params: dict[str, Any], progress: ProgressCallback | None
    ) -> tuple[Cooccurrences, float, np.ndarray]:
        """:meth:`count`, refusing counts without a single pair, and which words
        co-occur at all (a word only ever alone on a line has nothing to learn from).

        Raises:
            BadInputError: no two vocabulary words occur within the window.
        """
        counts, seconds = self.count(corpus, params, progress)
        size = len(counts.vocabulary)
        if counts.nnz == 0:
            raise BadInputError(
                f"no two of the {size} vocabulary words occur within "
                f"{params['window']} tokens of each other; use a larger corpus or window",
                parameters=("window",),
            )
        return counts, seconds, np.bincount(counts.rows, minlength=size) > 0

    def seen_embeddings(
        self, vocabulary: Vocabulary, vectors: np.ndarray, seen: np.ndarray, meta: dict
    ) -> Embeddings:
        """The vectors of the words that co-occur (``seen``); the others kept
        their random start and are left out."""
        if not seen.all():
            log.info("%s: %d words never co-occur and are left out", self.method,
                     int((~seen).sum()))  # fmt: skip
        kept = np.flatnonzero(seen)
        return Embeddings(
            [vocabulary.words[i] for i in kept], vectors[kept], vocabulary.counts[kept], meta
        )


def epoch_done(
    method: str,
    epoch: int,
    epochs: int,
    measure: tuple[str, float],
    learning_rate: float,
    size: int,
    progress: ProgressCallback | None,
) -> float:
    """Check, log and report what an epoch of GloVe or Swivel ended with
    (``measure``: its name, ``cost`` or ``loss``, and value); return it rounded.

    Raises:
        BadInputError: training diverged (the value is not finite).
    """
    name, value = measure
    if not np.isfinite(value):
        raise BadInputError(
            f"{method} diverged in epoch {epoch} ({name} {value}); "
            f"lower learning_rate (now {learning_rate})",
            parameters=("learning_rate",),
        )
    log.info("%s epoch %d/%d: %s %.6f", method, epoch, epochs, name, value)
    report(progress, f"train {method}", epoch, epochs, "epochs", {"vocabulary": size, name: value})
    return round(float(value), 6)


def compiled_kernels(module: str, method: str) -> ModuleType:
    """A trainer's numba kernels (``koembed.trainers.<module>``), imported on first use.

    Raises:
        MissingDependencyError: numba is not installed (the ``count`` extra).
    """
    try:
        return importlib.import_module(f"koembed.trainers.{module}")
    except ImportError as error:
        if "numba" not in str(error):
            raise
        raise MissingDependencyError("numba", "count", f"the {method} trainer") from None
