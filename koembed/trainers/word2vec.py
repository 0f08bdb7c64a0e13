"""word2vec (Mikolov et al. 2013): skip-gram or CBOW, trained by the engine
(gensim on the local engine, MLlib on Spark)."""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from koembed.engines import create_engine
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
        "--dim 100 --negative 5 --epochs 5 "
        "(a quick model; the defaults take longer and score higher)"
    )
    params = {
        **_gensim.PARAMS,
        # koembed tune on the full NSMC reviews (13 million tokens): more passes than
        # gensim's 5 kept helping (dev WS-353 0.33, 0.43, 0.44 at 5, 10, 20 epochs).
        "epochs": replace(_gensim.PARAMS["epochs"], default=20),
        # engine: gensim here, or Spark MLlib.
        "engine": ENGINE_PARAM,
    }

    def _check_together(self, params: dict[str, Any]) -> None:
        _gensim.check_params(self.method, params)
        defaults = {name: param.default for name, param in self.params.items()}
        create_engine(params["engine"]).check_word2vec(params, defaults)

    def _fit(
        self, corpus: TokenizedCorpus, params: dict[str, Any], progress: ProgressCallback | None
    ) -> Embeddings:
        engine = create_engine(params["engine"])
        words, vectors, counts, total = engine.train_word2vec(corpus.path, params, progress)
        return Embeddings(words, vectors, counts, {"corpus_words": total})
