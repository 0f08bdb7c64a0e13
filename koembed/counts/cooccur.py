"""Windowed co-occurrence counts, shared by GloVe and PPMI.

Two passes over a tokenized corpus, as the reference GloVe tools make them:

1. :func:`build_vocabulary` counts words and keeps those seen ``min_count``
   times or more (at most ``max_vocab``), most frequent first.
2. :func:`count_cooccurrences` streams the corpus again and adds, for every
   word and every other in-vocabulary word at most ``window`` tokens to its
   left on the same line, a weight to the pair (word, context): ``1/d`` at
   distance ``d`` (GloVe) or 1 (plain counts, as PPMI uses). Symmetric
   counting (the default) also adds the pair the other way round, so each
   word sees ``window`` words on both sides. Out-of-vocabulary tokens are
   dropped before windowing (as GloVe's ``cooccur`` and word2vec do), and a
   window never crosses a line.

The pairs accumulate in a compiled hash table sized to the ``memory`` budget
(:mod:`koembed.counts.table`). When it fills, it is sorted and spilled to a
temporary file; at the end the spilled runs are merged a slice of rows at a
time. Weights are added in fixed point (units of 2^-24) so that every sum is
exact: whether and where the table spilled changes no count, and plain counts
are exact integers. The first pass and the corpus reader are in
:mod:`koembed.counts.vocabulary`.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np

from koembed.counts.table import SCALE, CountTable
from koembed.counts.vocabulary import (
    CHUNK_BYTES,
    Vocabulary,
    build_vocabulary,
    check_int,
    read_chunks,
)
from koembed.errors import BadInputError, MissingDependencyError
from koembed.outputs import private_temp_dir
from koembed.progress import ProgressCallback, report
from koembed.resources import GIB, ram_gib

log = logging.getLogger(__name__)


@dataclass
class Cooccurrences:
    """Sparse co-occurrence counts: ``values[n]`` for the pair
    (``vocabulary.words[rows[n]]``, context ``vocabulary.words[cols[n]]``).

    Entries are sorted by row, then column, with no duplicates.
    """

    vocabulary: Vocabulary
    rows: np.ndarray  # int32
    cols: np.ndarray  # int32
    values: np.ndarray  # float64
    window: int
    distance_weighting: bool
    symmetric: bool
    spills: int = 0  # how many times the table went to disk

    @property
    def nnz(self) -> int:
        return int(self.values.shape[0])

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.vocabulary), len(self.vocabulary))

    def to_coo(self):
        """The counts as a ``scipy.sparse.coo_matrix`` (shares the arrays)."""
        from scipy.sparse import coo_matrix

        return coo_matrix((self.values, (self.rows, self.cols)), shape=self.shape)

    def to_csr(self):
        """The counts as a ``scipy.sparse.csr_matrix``."""
        from scipy.sparse import csr_matrix

        # Entries are row-major already: the row pointers are a cumulative count.
        indptr = np.zeros(self.shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.rows, minlength=self.shape[0]), out=indptr[1:])
        return csr_matrix((self.values, self.cols, indptr), shape=self.shape)


def load_kernels():
    try:
        from koembed.counts import _kernels
    except ImportError as error:
        if "numba" not in str(error):
            raise
        raise MissingDependencyError(
            "numba", "count", "counting co-occurrences (GloVe, PPMI)"
        ) from None
    return _kernels


def check_memory(memory: float) -> None:
    """Refuse a memory budget (GiB) larger than this machine's RAM.

    Raises:
        BadInputError: it is.
    """
    ram = ram_gib()
    if ram is None:
        return
    if memory > ram:
        raise BadInputError(
            f"memory({memory} GiB) is more than this machine's {ram:.1f} GiB of RAM; "
            f"lower memory (counting spills to disk when over it)",
            parameters=("memory",),
        )


def distance_weights(window: int, distance_weighting: bool) -> np.ndarray:
    """Fixed-point weight of a context ``d`` tokens away, indexed by ``d``."""
    distances = np.arange(window + 1, dtype=np.float64)
    distances[0] = 1.0  # unused: a token is not its own context
    if distance_weighting:
        return np.rint(SCALE / distances).astype(np.int64)
    return np.full(window + 1, SCALE, dtype=np.int64)


def count_cooccurrences(
    corpus: Any,
    *,
    window: int = 10,
    distance_weighting: bool = True,
    symmetric: bool = True,
    min_count: int = 5,
    max_vocab: int | None = None,
    vocabulary: Vocabulary | None = None,
    memory: float = 1.0,
    temp_dir: str | os.PathLike | None = None,
    progress: ProgressCallback | None = None,
) -> Cooccurrences:
    """Count windowed co-occurrences of the frequent words of ``corpus``.

    Args:
        corpus: a TokenizedCorpus, a tokenized file path, or a re-iterable of
            token lists.
        window: context words on each side (on the left only if not symmetric).
        distance_weighting: weight a context ``d`` tokens away by ``1/d``
            (GloVe); otherwise count it 1 (PPMI).
        symmetric: count contexts on both sides; otherwise row ``i`` holds the
            contexts found to the left of word ``i``.
        min_count, max_vocab: which words to keep (see :func:`build_vocabulary`);
            ignored when ``vocabulary`` is given.
        vocabulary: use these words instead of counting them.
        memory: the budget for counting, in GiB; the table spills to
            ``temp_dir`` (default: the system temporary folder) when full. The
            result (16 bytes per non-zero pair) comes on top.
        progress: called with progress events.

    Returns:
        The counts, sorted by (row, column).

    Raises:
        BadInputError: a bad argument or corpus.
        MissingDependencyError: numba is not installed.
    """
    check_int("window", window, 1, 10_000)
    if not isinstance(memory, (int, float)) or isinstance(memory, bool) or not memory > 0:
        raise BadInputError(f"memory({memory!r}) must be a positive number of GiB")
    check_memory(memory)
    kernels = load_kernels()
    if vocabulary is None:
        vocabulary = build_vocabulary(
            corpus, min_count=min_count, max_vocab=max_vocab, progress=progress
        )
    budget = int(memory * GIB)
    vocab_size = len(vocabulary)
    chunk_bytes = max(min(CHUNK_BYTES, budget // 16), 1)
    weights = distance_weights(window, distance_weighting)
    with private_temp_dir("cooccur", temp_dir) as folder:
        table = CountTable(kernels, vocab_size, window, budget, folder)
        for sentences, done, total in read_chunks(corpus, chunk_bytes):
            ids, starts = vocabulary.encode(sentences)
            table.add(ids, starts, window, weights, symmetric)
            report(
                progress,
                "count co-occurrences",
                done,
                total,
                "bytes" if total else "lines",
                {"vocabulary": vocab_size},
            )
        rows, cols, values = table.finish(budget)
    log.info(
        "co-occurrences: %d non-zero pairs of %d words (%d spills)",
        len(values),
        vocab_size,
        len(table.runs),
    )
    return Cooccurrences(
        vocabulary,
        rows,
        cols,
        values,
        window=window,
        distance_weighting=distance_weighting,
        symmetric=symmetric,
        spills=len(table.runs),
    )


def iter_pairs(counts: Cooccurrences) -> Iterable[tuple[str, str, float]]:
    """(word, context, value) for every non-zero pair, for inspection and tests."""
    words = counts.vocabulary.words
    for row, col, value in zip(counts.rows.tolist(), counts.cols.tolist(), counts.values.tolist()):
        yield words[row], words[col], value
