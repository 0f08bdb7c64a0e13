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
        # Chosen by koembed tune on the full NSMC reviews (README, "Tuning settings"):
        # 300 dims, 15 negatives and 20 epochs scored WS-353 0.44 on the dev half and
        # 0.53 on the test half, where 5 negatives and 5 epochs scored 0.30 on dev.
        # Mikolov et al. (2013) advise 5-20 negatives for small corpora; on NSMC's 13
        # million tokens more passes kept helping (dev 0.33, 0.43, 0.44 at 5, 10, 20).
        "dim": replace(_gensim.PARAMS["dim"], default=300),
        "negative": replace(_gensim.PARAMS["negative"], default=15),
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
