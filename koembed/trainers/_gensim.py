"""What word2vec and fastText share: gensim's parameters and its training loop.

Both stream the tokenized file through gensim's ``LineSentence``, whose job
queue hands batches of sentences to whichever thread is free. From
``CORPUS_FILE_WORKERS`` threads on they read through gensim's ``corpus_file``
path instead, where each thread trains on its own fixed share of the file
without Python-side batching: that scales past the single-reader limit, but a
thread slowed by another process on its core holds up the whole epoch. On two
shared cores ``corpus_file`` was at times no faster than one thread (an epoch
of NSMC word2vec in 38.5 s wall against 26.6 s for ``LineSentence``); on the
same machine quiet it was 7% faster (23.4 s against 25.2 s), so the queue is
the safer default for few threads.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from koembed.errors import BadInputError
from koembed.progress import ProgressCallback, report
from koembed.trainers.base import Param

PARAMS = {
    "dim": Param(100, int, 1, 10_000, help="Vector dimensions."),
    "window": Param(5, int, 1, 1_000, help="Context words on each side."),
    "min_count": Param(5, int, 1, help="Ignore words rarer than this."),
    "epochs": Param(5, int, 1, 10_000, help="Passes over the corpus."),
    "sg": Param(True, bool, help="Skip-gram or CBOW.", flags=("--sg/--cbow",)),
    "negative": Param(5, int, 0, 100, help="Negative samples (0 = none)."),
    "hs": Param(False, bool, help="Use hierarchical softmax."),
    "sample": Param(1e-3, float, 0.0, 1.0, help="Down-sampling of frequent words."),
    "alpha": Param(0.025, float, 1e-6, 1.0, help="Initial learning rate."),
    "min_alpha": Param(1e-4, float, 0.0, 1.0, help="Final learning rate."),
    "workers": Param(
        os.cpu_count() or 1,
        int,
        1,
        1_024,
        help="Threads.",
        flags=("--workers", "-w"),
        default_text="all cores",
    ),
    "seed": Param(1, int, 0, 2**31 - 1, help="Random seed."),
}


#: From this many threads on, gensim's ``corpus_file`` mode (see the module docstring).
CORPUS_FILE_WORKERS = 8


def corpus_arguments(path: str | Path, workers: int) -> dict[str, Any]:
    """gensim's keyword for the tokenized file at ``path``, for ``workers`` threads
    (see the module docstring)."""
    if workers >= CORPUS_FILE_WORKERS:
        return {"corpus_file": str(path)}
    from gensim.models.word2vec import LineSentence

    return {"corpus_iterable": LineSentence(str(path))}


def check_params(method: str, params: dict[str, Any]) -> None:
    """Checks of the shared parameters that involve two of them."""
    if params["negative"] == 0 and not params["hs"]:
        raise BadInputError(
            f"negative=0 without hs leaves {method} no output layer; use negative=5 or add hs=True",
            parameters=("negative", "hs"),
        )
    if params["min_alpha"] > params["alpha"]:
        raise BadInputError(
            f"min_alpha({params['min_alpha']}) must be <= alpha({params['alpha']})",
            parameters=("min_alpha", "alpha"),
        )


def train(
    model_class: type,
    method: str,
    path: Path,
    source: Path,
    params: dict[str, Any],
    progress: ProgressCallback | None,
    **extra: Any,
):
    """Build the vocabulary from ``path``, train, and return the gensim model.

    ``source`` is the file to name in errors (the user's corpus, when ``path``
    is a derived copy); ``extra`` are model-specific gensim arguments.
    """
    from gensim.models.callbacks import CallbackAny2Vec

    epochs = params["epochs"]

    class EpochReporter(CallbackAny2Vec):
        def __init__(self) -> None:
            self.epoch = 0

        def on_epoch_end(self, model: Any) -> None:
            self.epoch += 1
            report(progress, f"train {method}", self.epoch, epochs, "epochs")

    model = model_class(
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
        **extra,
    )
    corpus = corpus_arguments(path, params["workers"])
    model.build_vocab(**corpus)
    if not model.wv.index_to_key:
        raise BadInputError(
            f"no word in {source} occurs {params['min_count']} times or more; "
            f"lower min_count or use a larger corpus",
            parameters=("min_count",),
        )
    report(
        progress,
        f"train {method}",
        0,
        epochs,
        "epochs",
        {"vocabulary": len(model.wv), "words": model.corpus_total_words},
    )
    model.train(
        **corpus,
        total_words=model.corpus_total_words,
        total_examples=model.corpus_count,
        epochs=epochs,
        callbacks=[EpochReporter()],
    )
    return model
