"""word2vec (Mikolov et al. 2013) through gensim: skip-gram or CBOW."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from koembed.errors import BadInputError
from koembed.models import Embeddings
from koembed.progress import ProgressCallback
from koembed.tokenize import TokenizedCorpus
from koembed.trainers import _gensim
from koembed.trainers.base import ENGINE_PARAM, Trainer

log = logging.getLogger(__name__)


class Word2VecTrainer(Trainer):
    """Skip-gram with negative sampling by default (``sg=False`` for CBOW)."""

    method = "word2vec"
    summary = (
        "word2vec (gensim): skip-gram with negative sampling, or CBOW (MLlib with --engine spark)."
    )
    example = (
        "Example: koembed train word2vec work/nsmc.mecab -o models/w2v "
        "--dim 100 --window 5 --min-count 5 --epochs 5"
    )
    # engine: gensim here, or Spark MLlib.
    params = {**_gensim.PARAMS, "engine": ENGINE_PARAM}

    def _check_together(self, params: dict[str, Any]) -> None:
        _gensim.check_params(self.method, params)
        if params["engine"] == "spark":
            _as_mllib_runs_it(params)

    def _fit(
        self, corpus: TokenizedCorpus, params: dict[str, Any], progress: ProgressCallback | None
    ) -> Embeddings:
        if params["engine"] == "spark":
            from koembed.engines.spark import train_word2vec

            words, vectors, counts, total = train_word2vec(corpus.path, params, progress)
            return Embeddings(words, vectors, counts, {"corpus_words": total})
        from gensim.models import Word2Vec

        model = _gensim.train(Word2Vec, self.method, corpus.path, corpus.path, params, progress)
        return Embeddings(
            list(model.wv.index_to_key),
            model.wv.vectors,
            np.asarray(model.wv.expandos["count"], dtype=np.int64),
            {"corpus_words": int(model.corpus_total_words)},
        )


def _as_mllib_runs_it(params: dict[str, Any]) -> None:
    """Refuse what Spark MLlib's Word2Vec cannot do; record what it does.

    MLlib trains skip-gram with hierarchical softmax, without down-sampling,
    its learning rate decaying to ``alpha * 1e-4``; its ``numPartitions``
    (``workers`` here) splits the corpus into parts trained side by side.
    """
    defaults = Word2VecTrainer.params
    unsupported = [
        f"{name}={params[name]!r}"
        for name in ("negative", "sample", "min_alpha")
        if params[name] != defaults[name].default
    ]
    if not params["sg"]:
        unsupported.append("sg=False")
    if unsupported:
        raise BadInputError(
            f"engine='spark' trains MLlib's Word2Vec (skip-gram, hierarchical softmax, no "
            f"down-sampling), which cannot take {', '.join(unsupported)}; leave them out",
            parameters=("engine", "negative", "sample", "min_alpha", "sg"),
        )
    params.update(sg=True, hs=True, negative=0, sample=0.0, min_alpha=params["alpha"] * 1e-4)
