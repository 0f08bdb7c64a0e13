"""The local engine: everything on this machine.

Tokenizing runs in this process or in a pool of worker processes
(:mod:`koembed.engines.pool`), co-occurrences are counted by
:mod:`koembed.counts`, and word2vec is gensim's (:mod:`koembed.engines.gensim`).
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

import numpy as np

from koembed.counts import Cooccurrences, count_cooccurrences
from koembed.engines.base import Engine, TokenizeJob, WordVectors
from koembed.engines.gensim import train as train_gensim
from koembed.engines.pool import tokenize_lines
from koembed.errors import BadInputError
from koembed.processes import unguarded_main_call
from koembed.progress import ProgressCallback
from koembed.text.corpus import Corpus
from koembed.text.files import is_parquet

log = logging.getLogger(__name__)


class LocalEngine(Engine):
    """Processes and threads on this machine."""

    def configure(self, master: str | None = None, conf: dict[str, str] | None = None) -> None:
        if master is not None or conf:
            raise BadInputError("master is for engine='spark'", parameters=("master", "engine"))

    def check_tokenize(self, corpus: Corpus, output: str | os.PathLike, resume: bool) -> None:
        for path in [*corpus.paths, os.fspath(output)]:
            if is_parquet(path) or "://" in path:
                raise BadInputError(
                    f"{path}: Parquet datasets and URIs are read by engine='spark'; "
                    f"use local text files to tokenize on this machine",
                    parameters=("engine",),
                )

    def usable_workers(self, workers: int) -> int:
        """``workers``, or 1 when the main script calls koembed at its top level:
        spawned workers import the main script again, which would run the whole
        job again in each of them (see :mod:`koembed.processes`)."""
        where = unguarded_main_call() if workers > 1 else None
        if where is None:
            return workers
        log.warning(
            "tokenizing in this process only: %s calls koembed outside "
            "`if __name__ == '__main__':`, and each worker process would run that script "
            "again; put the call under `if __name__ == '__main__':` to use %d workers",
            where,
            workers,
        )
        return 1

    def describe(self, workers: int) -> str:
        return f"{workers} worker(s)"

    def tokenize(self, job: TokenizeJob) -> dict[str, int]:
        with open(job.target, "a", encoding="utf-8", newline="\n") as sink:
            return tokenize_lines(job, sink)

    def count_cooccurrences(
        self, corpus: Any, *, progress: ProgressCallback | None = None, **options: Any
    ) -> Cooccurrences:
        return count_cooccurrences(corpus, progress=progress, **options)

    def train_word2vec(
        self, path: Path, params: dict[str, Any], progress: ProgressCallback | None = None
    ) -> WordVectors:
        from gensim.models import Word2Vec

        model = train_gensim(Word2Vec, "word2vec", path, path, params, progress)
        return (
            list(model.wv.index_to_key),
            model.wv.vectors,
            np.asarray(model.wv.expandos["count"], dtype=np.int64),
            int(model.corpus_total_words),
        )
