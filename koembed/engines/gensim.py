"""gensim's training loop, as the local engine's word2vec and the fastText
trainer run it (the parameter table is :mod:`koembed.trainers._gensim`).

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

from collections.abc import Callable
from pathlib import Path
from typing import Any

from koembed.errors import BadInputError
from koembed.progress import ProgressCallback, report

#: From this many threads on, gensim's ``corpus_file`` mode (see the module docstring).
CORPUS_FILE_WORKERS = 8


def corpus_arguments(path: str | Path, workers: int) -> dict[str, Any]:
    """gensim's keyword for the tokenized file at ``path``, for ``workers`` threads
    (see the module docstring)."""
    if workers >= CORPUS_FILE_WORKERS:
        return {"corpus_file": str(path)}
    from gensim.models.word2vec import LineSentence

    return {"corpus_iterable": LineSentence(str(path))}


def epoch_reporter(progress: ProgressCallback | None, task: str, epochs: int):
    """A gensim callback that reports each finished epoch of ``epochs`` as ``task``."""
    from gensim.models.callbacks import CallbackAny2Vec

    class EpochReporter(CallbackAny2Vec):
        def __init__(self) -> None:
            self.epoch = 0

        def on_epoch_end(self, model: Any) -> None:
            self.epoch += 1
            report(progress, task, self.epoch, epochs, "epochs")

    return EpochReporter()


def train_model(
    model,
    task: str,
    source: Path,
    corpus: dict[str, Any],
    progress: ProgressCallback | None,
    after_vocabulary: Callable[[Any], None] | None = None,
):
    """Build ``model``'s vocabulary from ``corpus`` (gensim's corpus keywords),
    train it for its epochs and return it.

    ``source`` is the file to name when no word is frequent enough;
    ``after_vocabulary`` is called with the model once its vocabulary is built.
    """
    model.build_vocab(**corpus)
    if not model.wv.index_to_key:
        raise BadInputError(
            f"no word in {source} occurs {model.min_count} times or more; "
            f"lower min_count or use a larger corpus",
            parameters=("min_count",),
        )
    if after_vocabulary is not None:
        after_vocabulary(model)
    report(
        progress,
        task,
        0,
        model.epochs,
        "epochs",
        {"vocabulary": len(model.wv), "words": model.corpus_total_words},
    )
    model.train(
        **corpus,
        total_examples=model.corpus_count,
        total_words=model.corpus_total_words,
        epochs=model.epochs,
        callbacks=[epoch_reporter(progress, task, model.epochs)],
    )
    return model


#: gensim's name for each parameter of koembed's gensim trainers, where it differs.
GENSIM_NAMES = {"dim": "vector_size"}
#: Parameters gensim takes as 0 or 1.
AS_INT = ("sg", "hs", "dm", "dbow_words", "dm_mean")
SHARED = ("dim", "window", "min_count", "negative", "sample", "alpha", "min_alpha", "workers")


def model_settings(params: dict[str, Any], *extra: str) -> dict[str, Any]:
    """gensim's keyword arguments for the parameters every gensim trainer has
    (:data:`koembed.trainers._gensim.PARAMS`: word2vec, fastText, doc2vec), with
    ``sg``, ``hs`` and ``ns_exponent`` where they are given, and the ``extra`` ones named."""
    optional = ("sg", "hs", "ns_exponent")  # word2vec and fastText have them, doc2vec not
    names = [*SHARED, "seed", "epochs", *(n for n in optional if n in params), *extra]
    return {
        GENSIM_NAMES.get(name, name): int(params[name]) if name in AS_INT else params[name]
        for name in names
    }


def train(
    model_class: type,
    method: str,
    path: Path,
    source: Path,
    params: dict[str, Any],
    progress: ProgressCallback | None,
    after_vocabulary: Callable[[Any], None] | None = None,
    **extra: Any,
):
    """Build the vocabulary from ``path``, train, and return the gensim model.

    ``params`` are those of :data:`koembed.trainers._gensim.PARAMS`; ``source``
    is the file to name in errors (the user's corpus, when ``path`` is a
    derived copy); ``after_vocabulary`` as for :func:`train_model`; ``extra``
    are model-specific gensim arguments.
    """
    model = model_class(**model_settings(params), **extra)
    corpus = corpus_arguments(path, params["workers"])
    return train_model(model, f"train {method}", source, corpus, progress, after_vocabulary)
