"""The dev/test protocol: settings are chosen on one half of the benchmarks and
reported on the other, so the figure reported was not also the one maximised.

By default the WS-353 pairs and the analogy items are each split in two with
a fixed seed (analogies within each section, so both halves hold semantic and
syntactic items); ``dev``/``test`` word-pair files replace the WS-353 split.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import numpy as np

from koembed.errors import BadInputError
from koembed.models import Embeddings
from koembed.models.benchmarks import evaluate_word_analogies, evaluate_word_pairs
from koembed.text.testsets import AnalogyItem, WordPair, read_analogies, read_word_pairs

METRICS = ("ws353", "analogy")
T = TypeVar("T")


def split_half(items: Sequence[T], seed: int) -> tuple[list[T], list[T]]:
    """``items`` shuffled with ``seed`` and cut in two: (dev, test); dev gets the odd one."""
    order = np.random.default_rng(seed).permutation(len(items))
    cut = (len(items) + 1) // 2
    return [items[i] for i in order[:cut]], [items[i] for i in order[cut:]]


def split_analogies(items: Sequence[AnalogyItem], seed: int) -> tuple[list, list]:
    """Each section split in half (see :func:`split_half`), in file order."""
    dev, test = [], []
    sections = list(dict.fromkeys(item.section for item in items))
    for number, section in enumerate(sections):
        chosen = [item for item in items if item.section == section]
        first, second = split_half(chosen, seed + number)
        dev += first
        test += second
    return dev, test


@dataclass
class Half:
    """One side of the protocol: the pairs and items it scores with."""

    name: str
    pairs: list[WordPair]
    items: list[AnalogyItem]


@dataclass
class Protocol:
    """Dev and test halves, and the metric that chooses (``ws353`` or ``analogy``)."""

    dev: Half
    test: Half
    metric: str
    seed: int
    sources: dict[str, str]

    @classmethod
    def from_files(
        cls,
        *,
        ws353: str | os.PathLike | None = None,
        analogy: str | os.PathLike | None = None,
        dev: str | os.PathLike | None = None,
        test: str | os.PathLike | None = None,
        metric: str | None = None,
        seed: int = 0,
    ) -> Protocol:
        """Read and split the benchmark files.

        Raises:
            BadInputError: no benchmark, half a dev/test pair, or a metric
                without its benchmark.
        """
        if (dev is None) != (test is None):
            raise BadInputError(
                "give dev and test together (two word-pair files)", parameters=("dev", "test")
            )
        if dev is not None and ws353 is not None:
            raise BadInputError(
                "give ws353 (split in two) or dev and test, not both", parameters=("ws353", "dev")
            )
        pairs_dev: list[WordPair] = []
        pairs_test: list[WordPair] = []
        if dev is not None and test is not None:
            pairs_dev, pairs_test = read_word_pairs(dev), read_word_pairs(test)
        elif ws353 is not None:
            pairs_dev, pairs_test = split_half(read_word_pairs(ws353), seed)
        items_dev: list[AnalogyItem] = []
        items_test: list[AnalogyItem] = []
        if analogy is not None:
            items_dev, items_test = split_analogies(read_analogies(analogy), seed)
        if not pairs_dev and not items_dev:
            raise BadInputError(
                "tuning needs a benchmark to score on: give ws353 (and/or "
                "analogy) files, or dev and test",
                parameters=("ws353",),
            )
        metric = metric or ("ws353" if pairs_dev else "analogy")
        if metric not in METRICS:
            raise BadInputError(
                f"metric must be one of {', '.join(METRICS)}, got {metric!r}",
                parameters=("metric",),
            )
        if (metric == "ws353" and not pairs_dev) or (metric == "analogy" and not items_dev):
            raise BadInputError(f"metric {metric} needs its benchmark file", parameters=("metric",))
        sources = {
            name: str(value)
            for name, value in (
                ("ws353", ws353),
                ("analogy", analogy),
                ("dev", dev),
                ("test", test),
            )
            if value is not None
        }
        return cls(
            Half("dev", pairs_dev, items_dev),
            Half("test", pairs_test, items_test),
            metric,
            seed,
            sources,
        )

    def score(self, model: Embeddings, half: Half) -> dict[str, Any]:
        """The half's figures for ``model``; ``score`` is the one that chooses."""
        figures: dict[str, Any] = {}
        if half.pairs:
            pairs = evaluate_word_pairs(model, half.pairs)
            figures.update(ws353=pairs.spearman, ws353_found=pairs.found, ws353_total=pairs.total)
        if half.items:
            analogies = evaluate_word_analogies(model, half.items)
            figures.update(
                analogy=analogies.overall.accuracy,
                analogy_found=analogies.overall.found,
                analogy_total=analogies.overall.total,
            )
        figures["score"] = figures.get(self.metric)
        return figures

    def describe(self) -> str:
        """One line: what each half holds and what chooses."""
        parts = []
        if self.dev.pairs:
            parts.append(f"word pairs {len(self.dev.pairs)} dev / {len(self.test.pairs)} test")
        if self.dev.items:
            parts.append(f"analogies {len(self.dev.items)} dev / {len(self.test.items)} test")
        return f"{'; '.join(parts)} (seed {self.seed}); chosen by dev {self.metric}"
