"""Swivel (Shazeer, Doherty, Evans & Waterson 2016), implemented here.

"Swivel: Improving Embeddings by Noticing What's Missing" factorises the PMI
matrix of windowed co-occurrence counts, and, unlike GloVe, learns from the
pairs that were never seen as well:

1. windowed co-occurrence counts with ``1/d`` weighting, symmetric, from
   :mod:`koembed.counts.cooccur` (the counting GloVe and PPMI use);
2. the vocabulary (most frequent first) dealt into ``k`` shards of about
   ``shard_size`` words, word ``r`` to shard ``r mod k``, so that every shard
   holds frequent and rare words alike; the matrix splits into ``k x k``
   dense blocks, the unobserved cells included;
3. ``epochs`` passes over the blocks in random order; for a block, the
   predictions ``row . col`` are one matrix product, and the loss is
   ``0.5 f(x) (row . col - PMI)^2`` on an observed pair, with the confidence
   ``f(x) = confidence_base + confidence_scale * x^confidence_exponent``, and
   the soft hinge ``log(1 + exp(row . col - PMI*))`` on an unobserved one,
   ``PMI*`` being its PMI had it been seen once; AdaGrad updates the block's
   rows and columns (two more matrix products);
4. each word's vector is its row vector plus its column vector
   (``vectors="sum"``), its row vector, or both side by side (``"concat"``).

The loss of a block is scaled by ``1 / sqrt(rows * cols)`` as in the authors'
code, so the learning rate does not depend on the shard size.
"""

from __future__ import annotations

import contextlib
import logging
import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np

from koembed.counts import Cooccurrences
from koembed.errors import BadInputError
from koembed.models import Embeddings
from koembed.progress import ProgressCallback, report
from koembed.tokenize import TokenizedCorpus
from koembed.trainers import _counting
from koembed.trainers.base import (
    DIM_PARAM,
    ENGINE_PARAM,
    MIN_COUNT_PARAM,
    SEED_PARAM,
    WORKERS_PARAM,
    Param,
)

log = logging.getLogger(__name__)

VECTORS_CHOICES = ("sum", "row", "concat")
GRADSQ_START = 1e-6


def _kernels():
    return _counting.compiled_kernels("_swivel_kernels", "swivel")


#: The parameters :func:`fit_swivel` takes (the others are the count step's).
FIT_PARAMS = (
    "dim",
    "shard_size",
    "epochs",
    "learning_rate",
    "confidence_base",
    "confidence_scale",
    "confidence_exponent",
    "workers",
    "seed",
)


class SwivelTrainer(_counting.CountingTrainer):
    """Swivel vectors: PMI factorised in shards, unobserved pairs included."""

    distance_weighting = True

    method = "swivel"
    summary = (
        "Swivel (Shazeer et al. 2016): PMI factorised in sub-matrix shards, with a soft hinge "
        "on the pairs never seen."
    )
    example = (
        "Example: koembed train swivel work/nsmc.mecab -o models/swivel "
        "--dim 300 --window 5 --epochs 10 --min-count 5 --workers 2"
    )
    params = {
        # Chosen by koembed tune on the full NSMC reviews (README, "Tuning settings"):
        # window 5 and 300 dims scored WS-353 0.506 on the dev half and 0.506 on the
        # test half, where window 10 and 100 dims (the former defaults) scored 0.398 on dev.
        "dim": replace(DIM_PARAM, default=300),
        "window": Param(5, int, 1, 1_000, help="Context words on each side (1/d weighted)."),
        "min_count": MIN_COUNT_PARAM,
        "shard_size": Param(
            4096,
            int,
            16,
            32_768,
            help="Words per shard: blocks of shard-size x shard-size cells, 4 bytes each, "
            "three at a time.",
        ),
        "epochs": Param(10, int, 1, 10_000, help="Passes over all blocks."),
        "learning_rate": Param(0.1, float, 1e-6, 100.0, help="AdaGrad learning rate."),
        "confidence_base": Param(
            0.1,
            float,
            0.0,
            1e6,
            help="f(x) = base + scale * x^exponent: the weight of a seen pair.",
        ),
        "confidence_scale": Param(0.25, float, 0.0, 1e6, help="Scale of the confidence f(x)."),
        "confidence_exponent": Param(0.5, float, 0.0, 4.0, help="Exponent of the confidence f(x)."),
        "vectors": Param(
            "sum",
            str,
            choices=VECTORS_CHOICES,
            help="Each word's vector: its row and column vectors summed, the row vector, or "
            "both side by side (2 x dim).",
        ),
        "memory": _counting.MEMORY_PARAM,
        "workers": WORKERS_PARAM,
        "seed": SEED_PARAM,
        # engine: count here or in Spark.
        "engine": ENGINE_PARAM,
    }

    def _check_together(self, params: dict[str, Any]) -> None:
        super()._check_together(params)
        if params["confidence_base"] == 0 and params["confidence_scale"] == 0:
            raise BadInputError(
                "confidence_base and confidence_scale are both 0, so no seen pair would count; "
                "give one of them a positive value",
                parameters=("confidence_base", "confidence_scale"),
            )

    def _fit(
        self, corpus: TokenizedCorpus, params: dict[str, Any], progress: ProgressCallback | None
    ) -> Embeddings:
        _kernels()  # a missing numba is reported before counting
        counts, count_seconds, seen = self.count_pairs(corpus, params, progress)
        vocabulary, nonzero = counts.vocabulary, counts.nnz
        fitted = fit_swivel(
            counts, **{name: params[name] for name in FIT_PARAMS}, progress=progress
        )
        if params["vectors"] == "sum":
            vectors = fitted.rows + fitted.cols
        elif params["vectors"] == "row":
            vectors = fitted.rows
        else:
            vectors = np.hstack([fitted.rows, fitted.cols])
        return self.seen_embeddings(
            vocabulary,
            vectors,
            seen,
            {
                "corpus_words": vocabulary.tokens,
                "cooccurrences": nonzero,
                "count_seconds": round(count_seconds, 3),
                "epoch_losses": fitted.losses,
            },
        )


@dataclass
class SwivelFit:
    """The trained parameters: ``rows[i] . cols[j]`` approximates the PMI of (i, j)."""

    rows: np.ndarray
    cols: np.ndarray
    losses: list[float]  # each epoch's loss, summed over the blocks


@dataclass
class Shards:
    """The count matrix dealt into ``k x k`` blocks (see the module docstring)."""

    k: int
    members: list[np.ndarray]  # shard s -> its word indices, s, s + k, s + 2k...
    starts: np.ndarray  # block (s, t) -> where its entries start (k*k + 1 values)
    local_rows: np.ndarray  # each entry's row within its block
    local_cols: np.ndarray
    values: np.ndarray  # float32
    log_sums: np.ndarray  # log of each word's marginal count (rows = columns)
    log_total: float


def make_shards(counts: Cooccurrences, shard_size: int) -> Shards:
    """Deal the counts into blocks; the count arrays are released as they are copied."""
    size = len(counts.vocabulary)
    k = max(1, math.ceil(size / shard_size))
    sums = np.bincount(counts.rows, weights=counts.values, minlength=size)
    total = float(sums.sum())
    block = (counts.rows % k).astype(np.int64) * k + counts.cols % k
    order = np.argsort(block, kind="stable")
    starts = np.searchsorted(block[order], np.arange(k * k + 1))
    del block
    local_rows = (counts.rows[order] // k).astype(np.int32)
    counts.rows = np.empty(0, dtype=np.int32)
    local_cols = (counts.cols[order] // k).astype(np.int32)
    counts.cols = np.empty(0, dtype=np.int32)
    values = counts.values[order].astype(np.float32)
    counts.values = np.empty(0, dtype=np.float64)
    with np.errstate(divide="ignore"):
        log_sums = np.log(sums).astype(np.float32)  # -inf for a word never seen: left out later
    log_sums[~np.isfinite(log_sums)] = 0.0
    return Shards(
        k,
        [np.arange(s, size, k) for s in range(k)],
        starts,
        local_rows,
        local_cols,
        values,
        log_sums,
        math.log(total),
    )


def fit_swivel(
    counts: Cooccurrences,
    *,
    dim: int = 100,
    shard_size: int = 4096,
    epochs: int = 10,
    learning_rate: float = 0.1,
    confidence_base: float = 0.1,
    confidence_scale: float = 0.25,
    confidence_exponent: float = 0.5,
    workers: int = 1,
    seed: int = 1,
    progress: ProgressCallback | None = None,
) -> SwivelFit:
    """Fit Swivel to co-occurrence counts (parameters as in :class:`SwivelTrainer`).

    ``workers`` threads run the matrix products (BLAS) and the loss kernel.

    Raises:
        BadInputError: training diverged (loss not finite).
    """
    kernels = _kernels()
    size = len(counts.vocabulary)
    shards = make_shards(counts, shard_size)
    rng = np.random.default_rng(seed)
    sigma = 1.0 / math.sqrt(dim)
    rows = rng.normal(0.0, sigma, (size, dim)).astype(np.float32)
    cols = rng.normal(0.0, sigma, (size, dim)).astype(np.float32)
    # AdaGrad's sums of squared gradients. A block's gradients are small (the
    # loss is scaled down by its size), so the sums start near 0, not at 1 as
    # GloVe's do: the first step of each component is then about the learning rate.
    rows_gradsq = np.full_like(rows, GRADSQ_START)
    cols_gradsq = np.full_like(cols, GRADSQ_START)
    confidence = (
        np.float32(confidence_base),
        np.float32(confidence_scale),
        np.float32(confidence_exponent),
    )
    blocks = shards.k * shards.k
    report(progress, "train swivel", 0, epochs, "epochs", {"vocabulary": size, "shards": blocks})
    losses = []
    with _thread_limit(workers):
        for epoch in range(1, epochs + 1):
            loss = 0.0
            for block in rng.permutation(blocks):
                loss += _train_block(
                    kernels, shards, int(block), rows, cols, rows_gradsq, cols_gradsq,
                    np.float32(learning_rate), confidence,
                )  # fmt: skip
            losses.append(
                _counting.epoch_done(
                    "swivel", epoch, epochs, ("loss", loss), learning_rate, size, progress
                )
            )
    return SwivelFit(rows, cols, losses)


def _train_block(
    kernels,
    shards: Shards,
    block: int,
    rows: np.ndarray,
    cols: np.ndarray,
    rows_gradsq: np.ndarray,
    cols_gradsq: np.ndarray,
    learning_rate: np.float32,
    confidence: tuple[np.float32, np.float32, np.float32],
) -> float:
    """One AdaGrad step on block ``block``; returns its (scaled) loss."""
    row_ids = shards.members[block // shards.k]
    col_ids = shards.members[block % shards.k]
    begin, end = shards.starts[block], shards.starts[block + 1]
    dense = np.zeros((len(row_ids), len(col_ids)), dtype=np.float32)
    dense[shards.local_rows[begin:end], shards.local_cols[begin:end]] = shards.values[begin:end]
    block_rows = rows[row_ids]
    block_cols = cols[col_ids]
    gradient = block_rows @ block_cols.T
    squared, hinge = kernels.block_loss_gradient(
        gradient,
        dense,
        shards.log_sums[row_ids],
        shards.log_sums[col_ids],
        np.float32(shards.log_total),
        *confidence,
    )
    scale = np.float32(1.0 / math.sqrt(len(row_ids) * len(col_ids)))
    gradient *= scale
    row_step = gradient @ block_cols
    col_step = gradient.T @ block_rows
    for ids, vectors, gradsq, step in (
        (row_ids, rows, rows_gradsq, row_step),
        (col_ids, cols, cols_gradsq, col_step),
    ):
        accumulated = gradsq[ids] + step * step
        gradsq[ids] = accumulated
        vectors[ids] -= learning_rate * step / np.sqrt(accumulated)
    return float(scale * (squared + hinge))


def _thread_limit(workers: int):
    """At most ``workers`` threads for BLAS and the compiled kernel."""
    import numba

    numba.set_num_threads(max(1, min(workers, numba.config.NUMBA_NUM_THREADS)))
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # without it, BLAS uses its own default
        return contextlib.nullcontext()
    return threadpool_limits(limits=workers, user_api="blas")
