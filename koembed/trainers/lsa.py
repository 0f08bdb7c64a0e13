"""LSA (Deerwester et al. 1990): a TF-IDF document-term matrix factorised by
truncated SVD, with scikit-learn.

With ``X ~ U S V^T`` (documents x terms):

* word vectors are ``V S`` by default (``components_.T`` scaled by the
  singular values: the classic LSA term vectors), so that dot products of word
  vectors approximate those of the columns of ``X``: two words are close when
  they weigh alike in the same documents. ``eig`` sets the exponent,
  ``V S^eig``, as for PPMI/SVD (Levy et al. 2015): ``eig=0`` gives every
  dimension equal weight. On the full NSMC reviews (100 dims) ``eig=0`` scored
  higher on WS-353 and ``eig=1`` on the analogies, so the default stays the
  classic one;
* document vectors are ``X V`` (what ``TruncatedSVD.fit_transform`` returns,
  ``~ U S``), saved as ``doc_vectors.npy``, one row per document in corpus
  order. A new document is folded in the same way: its TF-IDF row times ``V``
  (``V = word vectors / S^eig``; ``idf.npy`` and ``singular_values.npy`` are
  kept for that).

Documents are lines by default; with ``doc_sep`` they are blocks of lines
separated by blank lines. ``min_count`` counts occurrences in the whole
corpus, as for the other methods (not documents), and those counts are the
ones saved in ``vocab.txt``.

The matrix is counted in one streamed pass (scikit-learn's ``CountVectorizer``
takes the lines from a generator; ``TfidfVectorizer`` is exactly
``CountVectorizer`` followed by ``TfidfTransformer``, split here so the raw
counts can be read in between).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from koembed.errors import BadInputError, MissingDependencyError
from koembed.models import Embeddings
from koembed.progress import ProgressCallback, report
from koembed.tokenize import TokenizedCorpus
from koembed.trainers.base import MIN_COUNT_PARAM, SEED_PARAM, Param, Trainer

log = logging.getLogger(__name__)

PROGRESS_EVERY = 50_000  # lines between progress reports


class LsaTrainer(Trainer):
    """TF-IDF + truncated SVD (randomized)."""

    method = "lsa"
    summary = "LSA (scikit-learn): TF-IDF document-term matrix factorised by truncated SVD."
    example = (
        "Example: koembed train lsa work/nsmc.mecab -o models/lsa --dim 100 --min-count 5 "
        "(add --doc-sep when documents are separated by blank lines)"
    )
    params = {
        "dim": Param(100, int, 1, 10_000, help="Vector dimensions (SVD components)."),
        "min_count": MIN_COUNT_PARAM,
        "doc_sep": Param(
            False,
            bool,
            help="Documents are separated by blank lines (default: one a line).",
        ),
        "sublinear_tf": Param(False, bool, help="Use 1 + log(tf)."),
        "eig": Param(
            1.0,
            float,
            0.0,
            1.0,
            help="Word vectors are V * S^eig (0: unweighted, 1: classic LSA).",
        ),
        "n_iter": Param(5, int, 1, 100, help="Power iterations of the randomized SVD."),
        "seed": SEED_PARAM,
    }

    def _check_together(self, params: dict[str, Any]) -> None:
        # The dependency is checked with the parameters, before any work.
        import importlib.util

        if importlib.util.find_spec("sklearn") is None:
            raise MissingDependencyError("scikit-learn", "lsa", "the lsa trainer")

    def _fit(
        self, corpus: TokenizedCorpus, params: dict[str, Any], progress: ProgressCallback | None
    ) -> Embeddings:
        try:
            from sklearn.decomposition import TruncatedSVD
            from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
        except ImportError:
            raise MissingDependencyError("scikit-learn", "lsa", "the lsa trainer") from None

        # str.split as the analyzer: the corpus is already tokenized, so no
        # lowercasing, token pattern or further splitting may change a token.
        counter = CountVectorizer(analyzer=str.split, dtype=np.int32)
        documents = _documents(corpus.path, params["doc_sep"], progress)
        counts_matrix = counter.fit_transform(documents)
        n_docs = counts_matrix.shape[0]
        totals = np.asarray(counts_matrix.sum(axis=0)).ravel()
        keep = np.flatnonzero(totals >= params["min_count"])
        # Most frequent first, as the other methods order their vocabulary.
        keep = keep[np.argsort(-totals[keep], kind="stable")]
        if len(keep) == 0:
            raise BadInputError(
                f"no word in {corpus.path} occurs {params['min_count']} times or more; "
                f"lower min_count or use a larger corpus",
                parameters=("min_count",),
            )
        limit = min(n_docs, len(keep))
        if params["dim"] > limit or len(keep) < 2:
            raise BadInputError(
                f"dim({params['dim']}) must be <= min(documents({n_docs}), "
                f"words({len(keep)})); lower dim or use a larger corpus",
                parameters=("dim",),
            )
        words = counter.get_feature_names_out()[keep].tolist()
        counts_matrix = counts_matrix[:, keep].astype(np.float32)
        tfidf = TfidfTransformer(sublinear_tf=params["sublinear_tf"])
        matrix = tfidf.fit_transform(counts_matrix)
        del counts_matrix
        report(
            progress,
            "factorise (SVD)",
            0,
            1,
            "steps",
            {"vocabulary": len(words)},
        )
        svd = TruncatedSVD(
            n_components=params["dim"],
            algorithm="randomized",
            n_iter=params["n_iter"],
            random_state=params["seed"],
        )
        doc_vectors = svd.fit_transform(matrix).astype(np.float32)
        singular = svd.singular_values_.astype(np.float32)
        word_vectors = (svd.components_.T * singular ** params["eig"]).astype(np.float32)
        report(progress, "factorise (SVD)", 1, 1, "steps", finished=True)
        log.info(
            "lsa: %d documents x %d words, %d non-zero; explained variance %.3f",
            n_docs,
            len(words),
            matrix.nnz,
            float(svd.explained_variance_ratio_.sum()),
        )
        return Embeddings(
            words,
            word_vectors,
            totals[keep].astype(np.int64),
            {
                "corpus_words": int(totals.sum()),
                "documents": int(n_docs),
                "explained_variance_ratio": round(float(svd.explained_variance_ratio_.sum()), 6),
                "word_vectors": f"V * singular_values ** {params['eig']}",
                "doc_vectors": "X V (TF-IDF rows times V), one row per document",
            },
            {
                "doc_vectors": doc_vectors,
                "idf": tfidf.idf_.astype(np.float32),
                "singular_values": singular,
            },
        )


def _documents(path: Path, doc_sep: bool, progress: ProgressCallback | None) -> Iterator[str]:
    """Yield the documents of a tokenized file, one string each, streamed."""
    lines = _lines(path, progress)
    if doc_sep:
        yield from join_blocks((bool(line.strip()), line) for line in lines)
    else:
        yield from lines


def _lines(path: Path, progress: ProgressCallback | None) -> Iterator[str]:
    total = path.stat().st_size
    done = 0
    with open(path, encoding="utf-8") as handle:
        for lineno, line in enumerate(handle, start=1):
            done += len(line.encode("utf-8"))
            if lineno % PROGRESS_EVERY == 0:
                report(progress, "count terms", done, total, "bytes", {"lines": lineno})
            yield line
    report(progress, "count terms", total, total, "bytes", finished=True)


def join_blocks(lines: Iterable[tuple[bool, str]]) -> Iterator[str]:
    """Join the texts of each run of non-blank lines, given as (non-blank, text)
    pairs, into one string: documents separated by blank lines (``doc_sep``)."""
    block: list[str] = []
    for nonblank, text in lines:
        if nonblank:
            block.append(text)
        elif block:
            yield " ".join(block)
            block = []
    if block:
        yield " ".join(block)
