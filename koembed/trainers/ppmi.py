"""PPMI + SVD, as Levy, Goldberg & Dagan (2015) tuned it.

1. plain (unweighted) windowed co-occurrence counts from :mod:`koembed.counts.cooccur`;
2. positive PMI with context-distribution smoothing: context counts raised to
   ``cds`` (0.75) before they become probabilities,
   ``PMI(w, c) = log(#(w, c) * sum_c' #(c')^cds / (#(w) * #(c)^cds))``,
   optionally shifted by ``log neg`` (shifted PPMI, ``max(PMI - log k, 0)``);
3. truncated SVD of that PPMI matrix, ``PPMI ~ U S V^T``; word vectors
   ``U S^eig`` (eigenvalue weighting, ``eig`` 0.5), optionally plus the
   context vectors ``V S^eig`` (each normalised first, as in their code).

Everything stays sparse: the truncated SVD (ARPACK) needs only products
with the sparse matrix.
"""

from __future__ import annotations

import contextlib
import logging
import math
from dataclasses import replace
from typing import Any

import numpy as np

from koembed.errors import BadInputError
from koembed.models import Embeddings
from koembed.progress import ProgressCallback, report
from koembed.tokenize import TokenizedCorpus
from koembed.trainers import _counting
from koembed.trainers.base import ENGINE_PARAM, MIN_COUNT_PARAM, SEED_PARAM, Param

log = logging.getLogger(__name__)

# Up to this size a dense SVD is as fast as an iterative one.
DENSE_SVD_LIMIT = 200


def ppmi_matrix(counts, cds: float = 0.75, neg: float = 1.0):
    """Positive (shifted) PMI of a sparse count matrix, words x contexts.

    Args:
        counts: a scipy.sparse matrix of co-occurrence counts.
        cds: context-distribution smoothing exponent (1 = none).
        neg: shift: subtract ``log(neg)`` before clipping at 0 (1 = none).

    Returns:
        A ``scipy.sparse.csr_matrix`` holding only the positive entries.
    """
    from scipy.sparse import csr_matrix

    counts = csr_matrix(counts, dtype=np.float64)
    counts.sum_duplicates()
    word_totals = np.asarray(counts.sum(axis=1)).ravel()
    context_totals = np.asarray(counts.sum(axis=0)).ravel() ** cds
    total = context_totals.sum()
    rows = np.repeat(np.arange(counts.shape[0]), np.diff(counts.indptr))
    with np.errstate(divide="ignore"):
        pmi = np.log(counts.data) + (
            math.log(total) - np.log(word_totals[rows]) - np.log(context_totals[counts.indices])
        )
    pmi -= math.log(neg)
    keep = pmi > 0
    indptr = np.zeros(counts.shape[0] + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[keep], minlength=counts.shape[0]), out=indptr[1:])
    return csr_matrix((pmi[keep], counts.indices[keep], indptr), shape=counts.shape)


def truncated_svd(matrix, dim: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``dim`` leading singular triplets ``U, s, Vt`` of a sparse matrix,
    largest first.

    Tiny matrices (or a full-rank request) get a dense SVD; others ARPACK's
    Lanczos iteration, which needs only products with the sparse matrix. (A
    randomized SVD was tried: no faster here, and its trailing singular
    values came out several per cent low.)

    Raises:
        BadInputError: ``dim`` exceeds what the matrix can give.
    """
    from scipy.sparse.linalg import svds

    rows, cols = matrix.shape
    if dim > min(rows, cols):
        raise BadInputError(
            f"dim({dim}) must be <= {min(rows, cols)}, the matrix rank bound", parameters=("dim",)
        )
    # ARPACK cannot give every singular triplet; a tiny matrix needs no iteration.
    if dim == min(rows, cols) or max(rows, cols) <= DENSE_SVD_LIMIT:
        u, s, vt = np.linalg.svd(matrix.toarray(), full_matrices=False)
        return u[:, :dim], s[:dim], vt[:dim]
    with _one_blas_thread():
        u, s, vt = svds(matrix, k=dim, random_state=seed)
    order = np.argsort(-s)
    return u[:, order], s[order], vt[order]


def _one_blas_thread():
    """Run BLAS on one thread: ARPACK's many small dense products ran 5x
    slower (wall) on two OpenBLAS threads than on one here, worse still when
    other processes share the cores."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def _unit_rows(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return matrix / norms


class PPMITrainer(_counting.CountingTrainer):
    """Word vectors from an SVD of the (shifted, smoothed) PPMI matrix."""

    distance_weighting = False

    method = "ppmi"
    summary = "PPMI + SVD (Levy, Goldberg & Dagan 2015): smoothed, shifted PPMI, truncated SVD."
    example = (
        "Example: koembed train ppmi work/nsmc.mecab -o models/ppmi "
        "--dim 300 --window 5 --cds 0.75 --neg 1 --eig 0 --min-count 5"
    )
    params = {
        # Defaults chosen by koembed tune on the full NSMC reviews (dev half of WS-353:
        # window 5, 300 dims, eig 0 best of 12; then cds 0.75, no shift and the context
        # vectors added best of 16, test half 0.554), as Levy et al. (2015) also advise:
        # cds 0.75, eig 0 or 0.5 rather than 1, w + c.
        "dim": Param(300, int, 1, 10_000, help="Vector dimensions (SVD rank)."),
        "window": Param(5, int, 1, 1_000, help="Context words on each side."),
        "min_count": MIN_COUNT_PARAM,
        "cds": Param(
            0.75, float, 0.0, 1.0, help="Context-distribution smoothing exponent (1 = none)."
        ),
        "neg": Param(1.0, float, 1.0, 1e6, help="Shift PMI by log(neg) (1 = no shift)."),
        "eig": Param(0.0, float, 0.0, 1.0, help="Eigenvalue weighting: vectors U * S^eig."),
        "add_context": Param(
            True,
            bool,
            help="Add the context vectors to the word vectors (w + c).",
            flags=("--add-context/--no-add-context",),
        ),
        "memory": _counting.MEMORY_PARAM,
        "seed": replace(SEED_PARAM, help="Random seed of the SVD."),
        # engine: count here or in Spark.
        "engine": ENGINE_PARAM,
    }

    def _fit(
        self, corpus: TokenizedCorpus, params: dict[str, Any], progress: ProgressCallback | None
    ) -> Embeddings:
        counts, count_seconds = self.count(corpus, params, progress)
        vocabulary = counts.vocabulary
        dim = params["dim"]
        if dim > len(vocabulary):
            raise BadInputError(
                f"dim({dim}) must be <= the vocabulary size ({len(vocabulary)} words); "
                f"lower dim or min_count",
                parameters=("dim", "min_count"),
            )
        task = "factorise ppmi"
        report(progress, task, 0, 3, "steps", {"vocabulary": len(vocabulary)})
        ppmi = ppmi_matrix(counts.to_csr(), cds=params["cds"], neg=params["neg"])
        del counts
        report(progress, task, 1, 3, "steps", {"vocabulary": len(vocabulary)})
        if ppmi.nnz == 0:
            raise BadInputError(
                f"no PPMI entry is positive (neg={params['neg']} shifts them all away, or the "
                f"corpus is too small); lower neg or use a larger corpus",
                parameters=("neg",),
            )
        u, s, vt = truncated_svd(ppmi, dim, params["seed"])
        report(progress, task, 2, 3, "steps", {"vocabulary": len(vocabulary)})
        weight = s ** params["eig"]
        vectors = u * weight
        has_vector = np.diff(ppmi.indptr) > 0
        if params["add_context"]:
            vectors = _unit_rows(vectors) + _unit_rows(vt.T * weight)
            has_vector |= np.bincount(ppmi.indices, minlength=ppmi.shape[1]) > 0
        # A word with no positive PMI has an empty row and no vector to give.
        kept = np.flatnonzero(has_vector)
        if len(kept) < len(vocabulary):
            log.info(
                "ppmi: %d words have no positive PMI and are left out", len(vocabulary) - len(kept)
            )
        report(progress, task, 3, 3, "steps", {"vocabulary": len(kept)})
        return Embeddings(
            [vocabulary.words[i] for i in kept],
            vectors[kept].astype(np.float32),
            vocabulary.counts[kept],
            {
                "corpus_words": vocabulary.tokens,
                "ppmi_nonzero": int(ppmi.nnz),
                "singular_values": [round(float(x), 6) for x in s[:10]],
                "count_seconds": round(count_seconds, 3),
            },
        )
