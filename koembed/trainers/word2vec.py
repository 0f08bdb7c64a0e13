"""word2vec (Mikolov et al. 2013) through gensim: skip-gram or CBOW.

Training reads the tokenized file through gensim's ``corpus_file`` path,
which runs every worker thread without the Python-side batching that the
iterable interface needs.
"""

from __future__ import annotations

import logging
import os
from typing import Any

import numpy as np

from koembed.embeddings import Embeddings
from koembed.errors import BadInputError
from koembed.progress import ProgressCallback, report
from koembed.tokenize import TokenizedCorpus
from koembed.trainers.base import Param, Trainer

log = logging.getLogger(__name__)


class Word2VecTrainer(Trainer):
    """Skip-gram with negative sampling by default (``sg=False`` for CBOW)."""

    method = "word2vec"
    params = {
        "dim": Param(100, int, 1, 10_000, help="vector dimensions"),
        "window": Param(5, int, 1, 1_000, help="context words on each side"),
        "min_count": Param(5, int, 1, help="ignore words rarer than this"),
        "epochs": Param(5, int, 1, 10_000, help="passes over the corpus"),
        "sg": Param(True, bool, help="skip-gram (True) or CBOW (False)"),
        "negative": Param(5, int, 0, 100, help="negative samples (0 = none)"),
        "hs": Param(False, bool, help="hierarchical softmax"),
        "sample": Param(1e-3, float, 0.0, 1.0, help="down-sampling threshold for frequent words"),
        "alpha": Param(0.025, float, 1e-6, 1.0, help="initial learning rate"),
        "min_alpha": Param(1e-4, float, 0.0, 1.0, help="final learning rate"),
        "workers": Param(os.cpu_count() or 1, int, 1, 1_024, help="training threads"),
        "seed": Param(1, int, 0, 2**31 - 1, help="random seed"),
        "engine": Param("local", str, choices=("local", "spark"), help="gensim or Spark MLlib"),
    }

    def _check_together(self, params: dict[str, Any]) -> None:
        if params["negative"] == 0 and not params["hs"]:
            raise BadInputError(
                "negative=0 without hs leaves word2vec no output layer; "
                "use --negative 5 or add --hs"
            )
        if params["min_alpha"] > params["alpha"]:
            raise BadInputError(
                f"min_alpha({params['min_alpha']}) must be <= alpha({params['alpha']})"
            )
        if params["engine"] == "spark":
            _as_mllib_runs_it(params)

    def _fit(
        self, corpus: TokenizedCorpus, params: dict[str, Any], progress: ProgressCallback | None
    ) -> Embeddings:
        if params["engine"] == "spark":
            from koembed.spark import train_word2vec

            words, vectors, counts, total = train_word2vec(corpus.path, params, progress)
            return Embeddings(words, vectors, counts, {"corpus_words": total})
        from gensim.models import Word2Vec
        from gensim.models.callbacks import CallbackAny2Vec

        epochs = params["epochs"]

        class EpochReporter(CallbackAny2Vec):
            def __init__(self) -> None:
                self.epoch = 0

            def on_epoch_end(self, model: Word2Vec) -> None:
                self.epoch += 1
                report(progress, "train word2vec", self.epoch, epochs, "epochs")

        model = Word2Vec(
            vector_size=params["dim"],
            window=params["window"],
            min_count=params["min_count"],
            sg=int(params["sg"]),
            negative=params["negative"],
            hs=int(params["hs"]),
            sample=params["sample"],
            alpha=params["alpha"],
            min_alpha=params["min_alpha"],
            workers=params["workers"],
            seed=params["seed"],
            epochs=epochs,
        )
        path = str(corpus.path)
        model.build_vocab(corpus_file=path)
        if not model.wv.index_to_key:
            raise BadInputError(
                f"no word in {corpus.path} occurs {params['min_count']} times or more; "
                f"lower --min-count or use a larger corpus"
            )
        report(
            progress,
            "train word2vec",
            0,
            epochs,
            "epochs",
            {"vocabulary": len(model.wv), "words": model.corpus_total_words},
        )
        model.train(
            corpus_file=path,
            total_words=model.corpus_total_words,
            epochs=epochs,
            callbacks=[EpochReporter()],
        )
        counts = np.asarray(model.wv.expandos["count"], dtype=np.int64)
        return Embeddings(
            list(model.wv.index_to_key),
            model.wv.vectors,
            counts,
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
        f"--{name.replace('_', '-')} {params[name]}"
        for name in ("negative", "sample", "min_alpha")
        if params[name] != defaults[name].default
    ]
    if not params["sg"]:
        unsupported.append("--cbow")
    if unsupported:
        raise BadInputError(
            f"--engine spark trains MLlib's Word2Vec (skip-gram, hierarchical softmax, no "
            f"down-sampling), which cannot take {', '.join(unsupported)}; leave them out"
        )
    params.update(sg=True, hs=True, negative=0, sample=0.0, min_alpha=params["alpha"] * 1e-4)
