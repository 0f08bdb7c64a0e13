"""word2vec (Mikolov et al. 2013) through gensim: skip-gram or CBOW."""

from __future__ import annotations

import logging
from typing import Any

import numpy as np

from koembed.embeddings import Embeddings
from koembed.progress import ProgressCallback
from koembed.tokenize import TokenizedCorpus
from koembed.trainers import _gensim
from koembed.trainers.base import Trainer

log = logging.getLogger(__name__)


class Word2VecTrainer(Trainer):
    """Skip-gram with negative sampling by default (``sg=False`` for CBOW)."""

    method = "word2vec"
    params = _gensim.PARAMS

    def _check_together(self, params: dict[str, Any]) -> None:
        _gensim.check_params(self.method, params)

    def _fit(
        self, corpus: TokenizedCorpus, params: dict[str, Any], progress: ProgressCallback | None
    ) -> Embeddings:
        from gensim.models import Word2Vec

        model = _gensim.train(Word2Vec, self.method, corpus.path, corpus.path, params, progress)
        return Embeddings(
            list(model.wv.index_to_key),
            model.wv.vectors,
            np.asarray(model.wv.expandos["count"], dtype=np.int64),
            {"corpus_words": int(model.corpus_total_words)},
        )
