"""What an engine offers, and finding one by name.

An engine is where the heavy work runs: tokenizing a corpus, counting
co-occurrences, and training the methods that have a distributed path
(word2vec). Engines are registered by name in
:data:`koembed.registry.ENGINES`; :func:`create_engine` builds one, and an
unknown name is an error that lists the valid ones. The layers above
(:mod:`koembed.tokenize`, :mod:`koembed.trainers`) only ever call these
methods, so a new engine needs a registry entry and nothing else.
"""

from __future__ import annotations

import os
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import numpy as np

from koembed.counts import Cooccurrences
from koembed.errors import BadInputError
from koembed.progress import ProgressCallback
from koembed.registry import ENGINES
from koembed.text.corpus import Corpus
from koembed.text.wikipedia import PrepareSummary, prepare_wikipedia
from koembed.tokenizers.spec import TextPipeline

#: The engine of every command and call that names none: this machine.
DEFAULT_ENGINE = "local"


@dataclass
class TokenizeJob:
    """One tokenizing run, as :mod:`koembed.tokenize` hands it to an engine."""

    corpus: Corpus
    #: The pipeline, set up in this process (for tokenizing here).
    pipeline: TextPipeline
    #: Its spec, from which worker processes or executors rebuild it (a
    #: trained tokenizer's folder named by its absolute path).
    spec: dict
    #: The file to write the tokenized lines to (appending, if ``done``), or
    #: with ``parquet``, the Parquet dataset (a folder) to write.
    target: Path
    parquet: bool = False
    workers: int = 1
    progress: ProgressCallback | None = None
    #: lines, tokens and empty lines already in ``target`` (a resumed run):
    #: as many input lines are skipped.
    done: dict[str, int] | None = None
    #: Called with the open file and the counts so far after each batch is
    #: written (a resumable run records its checkpoint).
    checkpoint: Callable[[IO[str], dict[str, int]], None] | None = None


@dataclass
class EmbedJob:
    """One run embedding texts into a Parquet dataset, as
    :func:`koembed.documents.embed.embed_to_parquet` hands it to an engine."""

    #: the document model's directory, which the engine's workers load
    model_dir: Path
    corpus: Corpus
    #: the folder to write the Parquet dataset into (id, vector)
    target: Path
    pretokenized: bool = False
    progress: ProgressCallback | None = None


@dataclass
class EmbedCounts:
    """What an engine's embedding run wrote."""

    rows: int
    empty: int  # texts with no vocabulary token: all-zero vectors
    empty_ids: list[int]  # the first few of them (ids, from 0)


#: (words, vectors, counts, tokens in the corpus): what an engine's word2vec gives.
WordVectors = tuple[list[str], np.ndarray, np.ndarray, int]


class Engine(ABC):
    """Base class. Subclasses implement the abstract methods; the other methods'
    defaults are the local engine's (a text file out, no Parquet)."""

    #: The name it is registered under (set by :func:`create_engine`).
    name: str = ""

    @abstractmethod
    def configure(self, master: str | None = None, conf: dict[str, str] | None = None) -> None:
        """Set where the engine's jobs run (the CLI's ``--master``).

        Raises:
            BadInputError: the engine runs no jobs elsewhere.
        """

    def check_tokenize(self, corpus: Corpus, output: str | os.PathLike, resume: bool) -> None:
        """Refuse, before any work, inputs, an output or options this engine cannot take.

        Raises:
            BadInputError: one of them.
        """

    def writes_parquet(self, output: str | os.PathLike) -> bool:
        """Whether ``output`` is written as a Parquet dataset rather than a text file."""
        return False

    def check_tokenized(self, path: Path, storage: str | None) -> None:
        """Refuse a tokenized corpus this engine cannot train on (``storage`` is
        the manifest's, e.g. ``"parquet"``)."""
        if storage == "parquet":
            raise BadInputError(
                f"{path} is a Parquet dataset, which Spark reads; train with "
                f"engine='spark', or tokenize to a text file to train on this machine",
                parameters=("engine",),
            )

    def usable_workers(self, workers: int) -> int:
        """How many of the ``workers`` asked for a tokenizing run can have here."""
        return workers

    def describe(self, workers: int) -> str:
        """Where a tokenizing run ran, for the CLI's summary line."""
        return self.name

    @abstractmethod
    def tokenize(self, job: TokenizeJob) -> dict[str, int]:
        """Tokenize ``job.corpus`` into ``job.target``, the lines in input order.

        Returns:
            lines, tokens and empty lines written (counting ``job.done``); the
            corpus's ``stats`` tell what was read.

        Raises:
            KoembedError: bad input, or a worker that failed.
        """

    @abstractmethod
    def count_cooccurrences(
        self, corpus: Any, *, progress: ProgressCallback | None = None, **options: Any
    ) -> Cooccurrences:
        """Windowed co-occurrence counts of the frequent words of a tokenized corpus.

        ``options`` are those of :func:`koembed.counts.count_cooccurrences`
        (``window``, ``distance_weighting``, ``symmetric``, ``min_count``,
        ``memory``...), and every engine gives the same counts.
        """

    def check_word2vec(self, params: dict[str, Any], defaults: dict[str, Any]) -> None:
        """Refuse word2vec parameters this engine cannot train with; record in
        ``params`` what it does instead (``defaults``: the trainer's defaults).

        Raises:
            BadInputError: a parameter it cannot take.
        """

    def embed_texts(self, job: EmbedJob) -> EmbedCounts:
        """Embed ``job.corpus`` with the model into a Parquet dataset at
        ``job.target``: one row per text, ``id`` (its position, from 0) and
        ``vector``.

        Raises:
            BadInputError: this engine writes no Parquet (the local engine's
                ``embed`` writes ``.npy`` or ``.tsv``).
        """
        raise BadInputError(
            f"a Parquet dataset of vectors is written by engine='spark', not {self.name!r}; "
            f"name the output .npy or .tsv to embed on this machine",
            parameters=("engine",),
        )

    def prepare_wikipedia(
        self, dump: str | os.PathLike, output: str | os.PathLike, **options: Any
    ) -> PrepareSummary:
        """Write a Wikipedia dump's articles as text; ``options`` and the result as
        :func:`koembed.text.wikipedia.prepare_wikipedia`, which the local engine runs."""
        return prepare_wikipedia(dump, output, **options)

    @abstractmethod
    def train_word2vec(
        self, path: Path, params: dict[str, Any], progress: ProgressCallback | None = None
    ) -> WordVectors:
        """Train word2vec on the tokenized corpus at ``path`` with the word2vec
        trainer's ``params``.

        Returns:
            The words kept (most frequent first), their vectors and counts, and
            the number of tokens in the corpus.
        """


def create_engine(name: str) -> Engine:
    """Build the engine registered as ``name``.

    Raises:
        UnknownNameError: no such engine (the message lists them).
    """
    engine = ENGINES.get(name)()
    engine.name = name
    return engine
