"""Where ``koembed train METHOD RAW --tokenizer NAME`` keeps the corpora it tokenizes.

One folder per tokenization request (see :mod:`koembed.tokenize.fingerprint`):
a raw corpus tokenized once with the same settings is reused, not redone.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from koembed.errors import BadInputError
from koembed.progress import ProgressCallback
from koembed.resources import cache_dir
from koembed.text.corpus import STDIN, Corpus, read_corpus
from koembed.tokenize.corpus import (
    TokenizedCorpus,
)
from koembed.tokenize.fingerprint import tokenize_request
from koembed.tokenize.fit import fit_corpus
from koembed.tokenize.run import auto_workers, tokenize_corpus
from koembed.tokenizers.base import Tokenizer, create_tokenizer
from koembed.tokenizers.spec import TextPipeline

log = logging.getLogger(__name__)


def cache_root() -> Path:
    """Where ``koembed train --tokenizer`` keeps tokenized corpora."""
    return cache_dir() / "tokenized"


def cached_tokens_path(request: dict, corpus: Corpus, root: str | os.PathLike | None) -> Path:
    """The tokenized file for ``request`` under ``root`` (default :func:`cache_root`).

    One slot per settings key: a changed input file is re-tokenized into the
    same slot, so stale copies do not pile up.
    """
    stem = Path(corpus.paths[0]).name.split(".")[0] or "corpus"
    root = Path(root) if root is not None else cache_root()
    return root / request["settings"][:16] / f"{stem}.tokens"


def tokenize_cached(
    corpus: Corpus | str | os.PathLike | Sequence[str],
    *,
    tokenizer: str | Tokenizer = "mecab",
    user_dict: str | os.PathLike | None = None,
    workers: int | None = None,
    max_workers: int | None = None,
    cache_dir: str | os.PathLike | None = None,
    progress: ProgressCallback | None = None,
    **tokenizer_options: Any,
) -> TokenizedCorpus:
    """Tokenize a raw corpus into the cache, or reuse the copy already there.

    The tokenized file goes to ``cache_dir`` (default :func:`cache_root`), in
    a folder named by the settings key. An interrupted run continues where it
    stopped the next time (it runs with ``resume``). ``workers`` as for
    :func:`~koembed.tokenize.run.tokenize_corpus` (``None``: chosen by the
    input's size), at most ``max_workers``.

    Raises:
        BadInputError: standard input (it cannot be cached: tokenize it first
            with ``koembed tokenize``), or bad input or options.
    """
    if not isinstance(corpus, Corpus):
        corpus = read_corpus(corpus)
    if not isinstance(tokenizer, Tokenizer):
        tokenizer = create_tokenizer(tokenizer, user_dict=user_dict, **tokenizer_options)
    elif user_dict is not None or tokenizer_options:
        raise BadInputError("pass user_dict and options to create_tokenizer, not here")
    pipeline = TextPipeline(tokenizer, corpus.normalizer)
    # Standard input is refused below, not by fit_corpus: its advice (fit_on,
    # tokenizer_model) is for tokenize_corpus, which training does not take.
    fit = None if STDIN in corpus.paths else fit_corpus(corpus, tokenizer, None)
    request = tokenize_request(corpus, pipeline, fit)
    if request is None:
        raise BadInputError(
            "a raw corpus read from standard input cannot be tokenized on the way to "
            "training (it cannot be read twice); tokenize it first with 'koembed tokenize'"
        )
    if workers is None:
        workers = auto_workers(corpus)
    if max_workers is not None:
        workers = max(1, min(workers, max_workers))
    path = cached_tokens_path(request, corpus, cache_dir)
    log.info("tokenized corpus: %s", path)
    return tokenize_corpus(
        corpus,
        path,
        tokenizer=tokenizer,
        workers=workers,
        overwrite=True,
        resume=True,
        progress=progress,
    )
