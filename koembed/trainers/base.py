"""What every trainer provides, and ``train``, the one way to call them.

A trainer declares its parameters once (default, type, allowed range);
``fit`` checks them all before any work, trains, and returns
:class:`~koembed.models.embeddings.Embeddings` with the method, parameters, corpus
manifest and text pipeline recorded in its metadata.
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from koembed.engines import DEFAULT_ENGINE, create_engine
from koembed.errors import BadInputError, UnknownNameError
from koembed.models import Embeddings
from koembed.outputs import private_temp_dir
from koembed.progress import ProgressCallback
from koembed.registry import ENGINES, TRAINERS, Registry
from koembed.text.files import not_utf8_error
from koembed.tokenize import TokenizedCorpus, open_tokenized, tokenize_cached
from koembed.versions import library_versions

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Param:
    """One trainer parameter, declared once: default, type, allowed values, and
    how it shows as an option of ``koembed train METHOD``.

    ``help`` is the option's help text. ``flags`` are its names on the command
    line when they are not ``--name-with-dashes``: ``("--minn",)``,
    ``("--workers", "-w")``, or ``("--sg/--cbow",)`` for a boolean with an
    off flag. ``default_text`` is shown instead of the default value (``"all
    cores"``). ``path``: the value names a file or folder (a path object is
    accepted). ``registry``: the value names one of its entries (an unknown
    name is an :class:`~koembed.errors.UnknownNameError` listing them).
    """

    default: Any
    kind: type
    low: float | None = None
    high: float | None = None
    choices: tuple | None = None
    allow_none: bool = False
    help: str = ""
    flags: tuple[str, ...] = ()
    default_text: str = ""
    path: bool = False
    #: The value names an entry of this registry (checked when training
    #: starts, so entries registered later count).
    registry: Registry | None = None

    def check(self, name: str, value: Any) -> Any:
        """``value`` if it is allowed (an int is taken for a float).

        Raises:
            BadInputError: the wrong type, not one of ``choices``, or out of range.
        """
        if value is None and (self.allow_none or self.default is None):
            return None
        if self.kind is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        named = (name,)
        if (self.kind is not bool and isinstance(value, bool)) or not isinstance(value, self.kind):
            raise BadInputError(f"{name}={value!r} must be a {self.kind.__name__}", named)
        if self.registry is not None and value not in self.registry:
            raise UnknownNameError(self.registry.kind, value, self.registry.names())
        if self.choices is not None and value not in self.choices:
            raise BadInputError(
                f"{name}={value!r} must be one of {', '.join(map(str, self.choices))}", named
            )
        if self.low is not None and value < self.low:
            raise BadInputError(f"{name}({value}) must be >= {self.low}{self._range()}", named)
        if self.high is not None and value > self.high:
            raise BadInputError(f"{name}({value}) must be <= {self.high}{self._range()}", named)
        return value

    def _range(self) -> str:
        if self.low is not None and self.high is not None:
            return f" (allowed: {self.low} to {self.high})"
        return ""


#: ``engine`` of the trainers with a step an engine runs (:mod:`koembed.engines`).
DIM_PARAM = Param(100, int, 1, 10_000, help="Vector dimensions.")
MIN_COUNT_PARAM = Param(5, int, 1, help="Ignore words rarer than this.")
WORKERS_PARAM = Param(
    os.cpu_count() or 1,
    int,
    1,
    1_024,
    help="Threads.",
    flags=("--workers", "-w"),
    default_text="all cores",
)
SEED_PARAM = Param(1, int, 0, 2**31 - 1, help="Random seed.")
ENGINE_PARAM = Param(
    DEFAULT_ENGINE,
    str,
    registry=ENGINES,
    help=f"Where the work runs: {', '.join(ENGINES.names())} ({DEFAULT_ENGINE}: processes and "
    f"threads here; see 'Running on Apache Spark' in the README).",
)


class Trainer(ABC):
    """Base class. Subclasses set ``method``, ``params`` and implement ``_fit``.

    A new method is one module: a subclass, and its entry in
    ``koembed.registry.TRAINERS`` (or a plugin's entry point). ``koembed train
    METHOD`` is made from the class: its options from ``params``, its help from
    ``summary`` (default: the docstring's first line) and ``example``.
    """

    method: ClassVar[str]
    params: ClassVar[dict[str, Param]]
    #: One line describing the method, for listings such as ``koembed train --help``.
    summary: ClassVar[str] = ""
    #: A command line using the method, shown at the end of its ``--help``.
    example: ClassVar[str] = ""

    def __init__(self, **params: Any):
        self.given = params

    @classmethod
    def describe(cls) -> str:
        """``summary``, or the first line of the class docstring."""
        lines = (cls.__doc__ or "").strip().splitlines()
        return cls.summary or (lines[0] if lines else cls.method)

    def validated_params(self) -> dict[str, Any]:
        """All parameters with defaults filled in, each checked.

        Raises:
            BadInputError: an unknown parameter or a value out of range.
        """
        unknown = sorted(set(self.given) - set(self.params))
        if unknown:
            raise BadInputError(
                f"{self.method} has no parameter {unknown[0]!r}; "
                f"its parameters: {', '.join(sorted(self.params))}"
            )
        values = {name: spec.default for name, spec in self.params.items()}
        # File parameters may come as paths.
        values.update(
            (name, os.fspath(value) if isinstance(value, os.PathLike) else value)
            for name, value in self.given.items()
        )
        checked = {name: self.params[name].check(name, value) for name, value in values.items()}
        self._check_together(checked)
        return checked

    def _check_together(self, params: dict[str, Any]) -> None:
        """Checks that involve several parameters (override as needed)."""

    def fit(
        self,
        corpus: TokenizedCorpus | str | os.PathLike | Iterable[Sequence[str]],
        progress: ProgressCallback | None = None,
    ) -> Embeddings:
        """Validate parameters, train on ``corpus`` and return the vectors.

        Args:
            corpus: a :class:`TokenizedCorpus`, the path of a tokenized file, or
                a re-iterable of token lists (written to a temporary file).
            progress: called with progress events.
        """
        params = self.validated_params()
        started = time.perf_counter()
        with _as_tokenized(corpus) as tokenized:
            storage = tokenized.manifest.get("storage")
            if storage == "parquet" and "engine" not in params:
                # The engine's refusal would offer engine='spark', which this method lacks.
                raise BadInputError(
                    f"{tokenized.path} is a Parquet dataset, which Spark reads; {self.method} "
                    f"trains on this machine only: tokenize to a text file"
                )
            engine = create_engine(params.get("engine", DEFAULT_ENGINE))
            engine.check_tokenized(tokenized.path, storage)
            try:
                embeddings = self._fit(tokenized, params, progress)
            except UnicodeDecodeError:
                # Only the corpus is decoded while training; say where it is not UTF-8.
                raise not_utf8_error(tokenized.path) from None
        self._check_trained(embeddings)
        seconds = time.perf_counter() - started
        embeddings.meta = {
            "method": self.method,
            "params": params,
            "corpus": {
                key: value
                for key, value in tokenized.manifest.items()
                if key not in ("pipeline", "versions")
            },
            "pipeline": tokenized.pipeline_spec,
            "train_seconds": round(seconds, 3),
            "versions": library_versions(),
            **embeddings.meta,
        }
        log.info("%s: %r in %.1f s", self.method, embeddings, seconds)
        return embeddings

    def _check_trained(self, model: Any) -> None:
        """Refuse a trained model whose vectors hold NaN or infinity (override for a
        model that is not :class:`Embeddings`)."""
        check_finite(self.method, model.vectors, "vectors")

    @abstractmethod
    def _fit(
        self, corpus: TokenizedCorpus, params: dict[str, Any], progress: ProgressCallback | None
    ) -> Embeddings:
        """Train; return embeddings (metadata is completed by ``fit``)."""


def check_finite(method: str, vectors: np.ndarray, what: str) -> None:
    """Refuse vectors holding NaN or infinity: training diverged, and a model
    saved that way would answer every query with NaN."""
    bad = int(np.count_nonzero(~np.isfinite(vectors).all(axis=1)))
    if bad:
        raise BadInputError(
            f"{method} training diverged: {bad} of {len(vectors)} {what} hold NaN or "
            f"infinity; lower the learning rate (--alpha / --learning-rate) and train again"
        )


class _as_tokenized:
    """Context manager: give a TokenizedCorpus for whatever was passed."""

    def __init__(self, corpus: Any):
        self.corpus = corpus
        self.temporary: Path | None = None
        self.scratch = contextlib.ExitStack()

    def __enter__(self) -> TokenizedCorpus:
        corpus = self.corpus
        if isinstance(corpus, TokenizedCorpus):
            return corpus
        if isinstance(corpus, (str, os.PathLike)):
            return open_tokenized(corpus)
        if iter(corpus) is corpus:
            raise BadInputError(
                "the corpus is a one-shot iterator (a generator?), but training reads it "
                "more than once; pass a list, a TokenizedCorpus or a tokenized file path"
            )
        self.temporary = self.scratch.enter_context(private_temp_dir("tokens")) / "corpus.tokens"
        try:
            with open(self.temporary, "w", encoding="utf-8") as handle:
                for sentence in corpus:
                    if isinstance(sentence, str):
                        raise BadInputError(
                            "the corpus yields strings; training needs lists of tokens "
                            "(tokenize it first with koembed.tokenize_corpus)"
                        )
                    handle.write(" ".join(sentence) + "\n")
            return open_tokenized(self.temporary)
        except BaseException:
            self.scratch.close()
            raise

    def __exit__(self, *exc: object) -> None:
        self.scratch.close()


def create_trainer(method: str, **params: Any) -> Trainer:
    """Build the trainer registered as ``method`` and check its parameters.

    Raises:
        UnknownNameError: no such method (the message lists them).
        PluginError: ``method`` comes from a plugin that cannot be loaded.
        BadInputError: a bad parameter.
    """
    trainer = TRAINERS.get(method)(**params)
    trainer.validated_params()
    return trainer


def check_raw_options(tokenizer: object, given: Sequence[str]) -> None:
    """Refuse options that read or tokenize a raw corpus when there is no tokenizer.

    Args:
        tokenizer: the tokenizer asked for, or None for an already tokenized corpus.
        given: the names of the raw-corpus options that were set
            (``user_dict``, ``tokenizer_options``; a front end's own, such as ``column``).

    Raises:
        BadInputError: ``tokenizer`` is None and some were set.
    """
    if tokenizer is None and given:
        raise BadInputError(
            f"{', '.join(given)} read a raw corpus; add tokenizer=NAME (e.g. mecab) to "
            f"tokenize the input on the way, or leave them out for a tokenized file",
            parameters=(*given, "tokenizer"),
        )


def training_corpus(
    trainer: Trainer,
    corpus: Any,
    *,
    tokenizer: Any = None,
    progress: ProgressCallback | None = None,
    **tokenizing: Any,
) -> Any:
    """What ``trainer`` fits: ``corpus`` itself, or with ``tokenizer`` the raw
    ``corpus`` tokenized on the way.

    Args:
        tokenizing: ``user_dict``, ``tokenizer_options`` and ``cache_dir``, as
            for :func:`train`.

    Tokenizing uses worker processes as ``koembed tokenize`` does (one per
    core, one for inputs under 4 MiB), no more than the trainer's ``workers``
    when they were given.

    Raises:
        BadInputError: ``user_dict`` or ``tokenizer_options`` without ``tokenizer``,
            or a bad raw corpus.
    """
    user_dict = tokenizing.get("user_dict")
    options = tokenizing.get("tokenizer_options") or {}
    set_here = {"user_dict": user_dict is not None, "tokenizer_options": bool(options)}
    check_raw_options(tokenizer, [name for name, given in set_here.items() if given])
    if tokenizer is None:
        return corpus
    return tokenize_cached(
        corpus,
        tokenizer=tokenizer,
        user_dict=user_dict,
        workers=None,
        max_workers=trainer.given.get("workers"),
        cache_dir=tokenizing.get("cache_dir"),
        progress=progress,
        **options,
    )


def train(
    method: str,
    corpus: Any,
    *,
    tokenizer: Any = None,
    user_dict: str | os.PathLike | None = None,
    tokenizer_options: dict[str, Any] | None = None,
    cache_dir: str | os.PathLike | None = None,
    progress: ProgressCallback | None = None,
    **params: Any,
) -> Embeddings:
    """Train ``method`` (e.g. ``"word2vec"``) on a tokenized corpus, or on a raw one.

    Any registered method: a word method returns :class:`Embeddings`, a
    document method (``"doc2vec"``, ``"sif"``, ``"lsa-doc"``) a
    :class:`~koembed.models.documents.DocumentModel`.

    With ``tokenizer``, ``corpus`` is raw text (a :class:`~koembed.Corpus`
    from ``read_corpus``, or paths for it): it is tokenized on the way into
    ``cache_dir`` (see :func:`koembed.tokenize.cache.tokenize_cached`), or the copy
    tokenized there earlier from the same, unchanged input and settings is
    reused. Tokenizing chooses its worker processes as ``koembed tokenize``
    does (see :func:`training_corpus`).

    Example:
        >>> model = koembed.train("word2vec", "work/nsmc.mecab", dim=100)
        >>> raw = koembed.read_corpus("nsmc.tsv.xz", column=4)
        >>> model = koembed.train("word2vec", raw, tokenizer="mecab", dim=100)

    Raises:
        UnknownNameError: no such method or tokenizer.
        BadInputError: a bad parameter or corpus, reported before any training.
    """
    trainer = create_trainer(method, **params)
    tokenized = training_corpus(
        trainer,
        corpus,
        tokenizer=tokenizer,
        user_dict=user_dict,
        tokenizer_options=tokenizer_options,
        cache_dir=cache_dir,
        progress=progress,
    )
    return trainer.fit(tokenized, progress=progress)
