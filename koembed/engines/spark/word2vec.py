"""Spark MLlib's Word2Vec: skip-gram with hierarchical softmax, no down-sampling."""

from __future__ import annotations

import os
from typing import Any

import numpy as np

from koembed.engines.base import WordVectors
from koembed.engines.spark.read import token_lists, word_counts
from koembed.engines.spark.session import run_job, session
from koembed.errors import BadInputError, KoembedError
from koembed.progress import ProgressCallback, report

#: MLlib's name for each word2vec parameter it takes (``workers``: parts of the
#: corpus trained side by side).
MLLIB_NAMES = {
    "dim": "vectorSize",
    "min_count": "minCount",
    "window": "windowSize",
    "epochs": "maxIter",
    "alpha": "stepSize",
    "seed": "seed",
    "workers": "numPartitions",
}


def check_params(params: dict[str, Any], defaults: dict[str, Any]) -> None:
    """Refuse what Spark MLlib's Word2Vec cannot do; record what it does.

    MLlib trains skip-gram with hierarchical softmax, without down-sampling,
    its learning rate decaying to ``alpha * 1e-4``; its ``numPartitions``
    (``workers`` here) splits the corpus into parts trained side by side.
    ``defaults`` are the word2vec trainer's: a parameter left at its default
    is not refused.
    """
    unsupported = [
        f"{name}={params[name]!r}"
        for name in ("negative", "ns_exponent", "sample", "min_alpha")
        if params[name] != defaults[name]
    ]
    if not params["sg"]:
        unsupported.append("sg=False")
    if unsupported:
        raise BadInputError(
            f"engine='spark' trains MLlib's Word2Vec (skip-gram, hierarchical softmax, no "
            f"down-sampling), which cannot take {', '.join(unsupported)}; leave them out",
            parameters=("engine", "negative", "ns_exponent", "sample", "min_alpha", "sg"),
        )
    params.update(sg=True, hs=True, negative=0, sample=0.0, min_alpha=params["alpha"] * 1e-4)


def train_word2vec(
    path: str | os.PathLike, params: dict[str, Any], progress: ProgressCallback | None = None
) -> WordVectors:
    """MLlib Word2Vec on a tokenized corpus: (words, vectors, counts, tokens)."""
    from pyspark.ml.feature import Word2Vec

    spark = session()
    rdd = token_lists(spark, path).cache()
    words, counts, total = word_counts(rdd, params["min_count"])
    if not words:
        raise BadInputError(
            f"no word in {path} occurs {params['min_count']} times or more; "
            f"lower min_count or use a larger corpus",
            parameters=("min_count",),
        )
    report(progress, "train word2vec (spark)", 0, 1, "runs", {"vocabulary": len(words)})
    frame = rdd.map(lambda tokens: (tokens,)).toDF(["words"])
    settings = {mllib: params[name] for name, mllib in MLLIB_NAMES.items()}
    estimator = Word2Vec(**settings, inputCol="words", outputCol="vector")
    model = run_job(lambda: estimator.fit(frame))
    vectors = {
        row["word"]: row["vector"].toArray()
        for row in run_job(lambda: model.getVectors().toLocalIterator())
    }
    rdd.unpersist()
    missing = [word for word in words if word not in vectors]
    if missing:
        raise KoembedError(
            f"Spark's Word2Vec left out {len(missing)} frequent word(s) such as {missing[0]!r}"
        )
    matrix = np.vstack([vectors[word] for word in words]).astype(np.float32)
    report(progress, "train word2vec (spark)", 1, 1, "runs", {"vocabulary": len(words)})
    return words, matrix, counts, total
