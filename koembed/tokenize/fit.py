"""Trainable tokenizers (soynlp, sentencepiece, bpe, wordpiece) before a corpus is
tokenized: what they train on, training them, or loading a trained one."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from koembed.errors import BadInputError
from koembed.progress import ProgressCallback, report
from koembed.text.corpus import STDIN, Corpus, read_corpus
from koembed.text.normalize import compose
from koembed.tokenizers.base import Tokenizer
from koembed.tokenizers.trained import (
    TrainableTokenizer,
    load_tokenizer,
)


def load_trained_tokenizer(
    path: str | os.PathLike,
    tokenizer: str | Tokenizer | None,
    user_dict: object,
    options: dict,
    fit_on: object,
) -> TrainableTokenizer:
    """Load the trained tokenizer ``tokenizer_model`` names (``path``); refuse
    settings that would contradict it."""
    if fit_on is not None:
        raise BadInputError(
            "fit_on and tokenizer_model exclude each other: train a tokenizer "
            "(fit_on) or reuse a trained one (tokenizer_model)",
            parameters=("fit_on", "tokenizer_model"),
        )
    try:
        loaded = load_tokenizer(path)
    except BadInputError as error:
        if Path(path).exists():
            raise
        raise BadInputError(
            f"{error}, or leave out tokenizer_model to train one", parameters=("tokenizer_model",)
        ) from None
    name = tokenizer.name if isinstance(tokenizer, Tokenizer) else tokenizer
    if name is not None and name != loaded.name:
        raise BadInputError(
            f"tokenizer={name} does not match the {loaded.name} one in {path}; "
            f"leave out tokenizer with tokenizer_model",
            parameters=("tokenizer", "tokenizer_model"),
        )
    if user_dict is not None or options:
        given = ["user_dict"] * (user_dict is not None) + sorted(options)
        raise BadInputError(
            f"the trained tokenizer in {path} fixes its options and user dictionary; "
            f"leave out {', '.join(given)}, or train a new one without tokenizer_model",
            parameters=(*given, "tokenizer_model"),
        )
    return loaded


def fit_corpus(
    corpus: Corpus, tokenizer: Tokenizer, fit_on: Corpus | str | os.PathLike | Sequence[str] | None
) -> Corpus | None:
    """The text to train the tokenizer on, or ``None`` if it needs no training."""
    if not isinstance(tokenizer, TrainableTokenizer):
        if fit_on is not None:
            raise BadInputError(
                f"fit_on is for trainable tokenizers (soynlp, sentencepiece, bpe, "
                f"wordpiece); {tokenizer.name} needs no training",
                parameters=("fit_on",),
            )
        return None
    if tokenizer.is_fitted and fit_on is None:
        return None
    if fit_on is None:
        if STDIN in corpus.paths:
            raise BadInputError(
                f"the {tokenizer.name} tokenizer trains on its input and then tokenizes it, "
                f"but standard input can be read only once; save it to a file, or pass "
                f"fit_on FILE or tokenizer_model FOLDER",
                parameters=("fit_on", "tokenizer_model"),
            )
        return corpus
    if isinstance(fit_on, Corpus):
        return fit_on
    return read_corpus(
        fit_on,
        column=corpus.column,
        delimiter=corpus.delimiter,
        header=corpus.header,
        encoding=corpus.encoding,
        errors=corpus.errors,
        normalize=corpus.normalizer,
    )


def fit_tokenizer(
    tokenizer: TrainableTokenizer,
    fit_corpus: Corpus,
    normalizer: Sequence[str],
    progress: ProgressCallback | None,
) -> dict:
    """Train ``tokenizer`` on ``fit_corpus``; return what the manifest records."""
    # The corpus's own normalizer, so training text matches what is tokenized.
    normalize = compose(normalizer)
    total = fit_corpus.total_bytes

    def lines() -> Iterator[str]:
        last = 0.0
        for count, line in enumerate(fit_corpus.iter_raw(), start=1):
            if count % 1000 == 0 and time.monotonic() - last > 0.2:
                last = time.monotonic()
                done = fit_corpus.stats.bytes_read
                report(progress, "train tokenizer", done, total, "bytes", {"lines": count})
            yield normalize(line)

    tokenizer.fit(lines())
    fitted = tokenizer.fitted_ or {}
    report(
        progress,
        "train tokenizer",
        fit_corpus.stats.bytes_read,
        total,
        "bytes",
        {"lines": fitted.get("lines", 0), "seconds": fitted.get("seconds", 0)},
        finished=True,
    )
    return {"fitted_on": fit_corpus.describe(), **fitted}
