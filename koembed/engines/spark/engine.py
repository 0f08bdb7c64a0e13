"""The Spark engine as the engine interface offers it (see :mod:`koembed.engines.spark`)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from koembed.counts import Cooccurrences
from koembed.engines.base import EmbedCounts, EmbedJob, Engine, TokenizeJob, WordVectors
from koembed.engines.spark import count, embed, session, tokenize, wikipedia, word2vec
from koembed.errors import BadInputError
from koembed.progress import ProgressCallback
from koembed.text.corpus import Corpus
from koembed.text.files import is_parquet
from koembed.text.wikipedia import PrepareSummary


class SparkEngine(Engine):
    """Jobs on Apache Spark: the active session, or one built for ``--master``."""

    def configure(self, master: str | None = None, conf: dict[str, str] | None = None) -> None:
        session.configure(master, conf)

    def check_tokenize(self, corpus: Corpus, output: str | os.PathLike, resume: bool) -> None:
        if resume:
            raise BadInputError(
                "resume is for the local engine; Spark reruns the tasks of a failed job itself",
                parameters=("resume",),
            )

    def writes_parquet(self, output: str | os.PathLike) -> bool:
        return is_parquet(os.fspath(output))

    def check_tokenized(self, path: Path, storage: str | None) -> None:
        """Spark reads tokenized text files and Parquet datasets alike."""

    def describe(self, workers: int) -> str:
        return "Spark"

    def tokenize(self, job: TokenizeJob) -> dict[str, int]:
        return tokenize.tokenize(job)

    def count_cooccurrences(
        self, corpus: Any, *, progress: ProgressCallback | None = None, **options: Any
    ) -> Cooccurrences:
        return count.count_with_spark(corpus, progress=progress, **options)

    def check_word2vec(self, params: dict[str, Any], defaults: dict[str, Any]) -> None:
        word2vec.check_params(params, defaults)

    def train_word2vec(
        self, path: Path, params: dict[str, Any], progress: ProgressCallback | None = None
    ) -> WordVectors:
        return word2vec.train_word2vec(path, params, progress)

    def embed_texts(self, job: EmbedJob) -> EmbedCounts:
        return embed.embed_texts(job)

    def prepare_wikipedia(
        self, dump: str | os.PathLike, output: str | os.PathLike, **options: Any
    ) -> PrepareSummary:
        return wikipedia.prepare_wikipedia(dump, output, **options)
