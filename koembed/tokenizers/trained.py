"""Tokenizers that learn from the corpus: fit -> save -> load.

A trainable backend (soynlp, sentencepiece, bpe, wordpiece) learns its word
scores or subword vocabulary from normalized lines with ``fit``, writes what
it learned to a folder with ``save``, and is rebuilt from that folder by
``load_tokenizer``. The folder holds::

    koembed-tokenizer.json   backend, options, user dictionary, file checksums
    <backend files>          scores.tsv, sentencepiece.model or hf-tokenizer.json

``koembed tokenize`` stores the folder beside its output
(``<output>.tokenizer/``) and its manifest points at it by a relative path; a
model trained on that output carries a copy (``<model>/tokenizer/``), so its
queries are tokenized exactly as the corpus was, wherever the model goes.
Nothing is pickled: workers and queries rebuild the backend from the files.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import time
from abc import abstractmethod
from collections.abc import Iterable, Iterator
from importlib import metadata
from pathlib import Path
from typing import Any, ClassVar

from koembed.errors import BadInputError, NotFittedError
from koembed.outputs import atomic_output, check_output
from koembed.registry import TOKENIZERS
from koembed.resources import sha256_file
from koembed.text.userdict import UserDictionary
from koembed.tokenizers.base import Tokenizer, clean_text, create_tokenizer, pieces
from koembed.versions import __version__

log = logging.getLogger(__name__)

ARTEFACT_FORMAT = "koembed-tokenizer/1"
ARTEFACT_META = "koembed-tokenizer.json"
#: ``koembed tokenize -o out.txt`` stores the trained tokenizer in ``out.txt.tokenizer/``.
ARTEFACT_SUFFIX = ".tokenizer"


class TrainableTokenizer(Tokenizer):
    """A tokenizer that must be fitted on text (or loaded) before use.

    Subclasses set ``files`` (what ``_save_state`` writes and ``_load_state``
    reads) and ``library`` (the pip package recorded with the artefact), and
    implement ``_fit``, ``_save_state``, ``_load_state``, ``_setup`` and
    ``_tokenize``. Learned state lives in attributes ending in ``_``.
    """

    trainable: ClassVar[bool] = True
    files: ClassVar[tuple[str, ...]]
    library: ClassVar[str]

    def __init__(self, user_dict: UserDictionary | None = None, **options: Any):
        super().__init__(user_dict, **options)
        self.fitted_: dict | None = None  # what the fit saw: lines, seconds

    # -- the contract ------------------------------------------------------

    @abstractmethod
    def _fit(self, lines: Iterable[str]) -> None:
        """Learn from normalized lines (iterated once); set the learned state."""

    @abstractmethod
    def _save_state(self, directory: Path) -> None:
        """Write the learned state into ``directory`` as the files in ``files``."""

    @abstractmethod
    def _load_state(self, directory: Path) -> None:
        """Read the learned state back; raise ``BadInputError`` if it is corrupt."""

    # -- public use ----------------------------------------------------------

    @property
    def is_fitted(self) -> bool:
        return self.fitted_ is not None

    def validate(self) -> None:
        # A float option given as a whole number (character_coverage=1) is fine.
        for key, value in self.options.items():
            default = self.defaults.get(key)
            whole = isinstance(value, int) and not isinstance(value, bool)
            if isinstance(default, float) and whole:
                self.options[key] = float(value)
        super().validate()

    def fit(self, lines: Iterable[str]) -> TrainableTokenizer:
        """Learn from ``lines`` (normalized text, one sentence a line), streamed once.

        Returns:
            ``self``, ready to tokenize and to ``save``.

        Raises:
            BadInputError: bad options, or no text to learn from; an error the
                lines themselves raise (an undecodable file...) is re-raised.
        """
        self.validate()
        stream = _CountingStream(lines)
        started = time.perf_counter()
        try:
            self._fit(stream)
        except Exception:
            # Libraries that pull lines from C++ turn our reader's errors into
            # their own RuntimeError; the original one says what to fix.
            if stream.error is not None:
                raise stream.error from None
            if not stream.words:
                raise self._no_text(stream) from None
            raise
        if stream.error is not None:
            raise stream.error
        if not stream.words:
            raise self._no_text(stream)
        self.fitted_ = {
            "lines": stream.lines,
            "words": stream.words,
            "seconds": round(time.perf_counter() - started, 3),
        }
        self._ready = False  # rebuild the backend from the new state on first use
        log.info(
            "trained the %s tokenizer on %d lines in %.1f s",
            self.name,
            stream.lines,
            self.fitted_["seconds"],
        )
        return self

    def prepare(self) -> Tokenizer:
        if not self.is_fitted:
            raise NotFittedError(
                f"the {self.name} tokenizer is not trained yet; call fit(lines) or "
                f"koembed.load_tokenizer(folder) first ('koembed tokenize' trains it on its input)"
            )
        return super().prepare()

    def save(self, directory: str | os.PathLike, *, overwrite: bool = False) -> Path:
        """Write the trained tokenizer to ``directory`` (appears only when complete).

        Raises:
            NotFittedError: nothing was learned yet.
            OutputExistsError: ``directory`` exists and ``overwrite`` is false.
        """
        target = check_output(directory, overwrite=overwrite)
        with atomic_output(target, directory=True) as work:
            self.save_files(work)
        return target

    def save_files(self, directory: str | os.PathLike) -> None:
        """Write the artefact files into an existing, empty ``directory``.

        For callers that manage the folder themselves (``tokenize_corpus`` and
        ``Embeddings.save`` write it inside their own atomic output).
        """
        if not self.is_fitted:
            raise NotFittedError(f"the {self.name} tokenizer is not trained; nothing to save")
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        self._save_state(directory)
        meta = {
            "format": ARTEFACT_FORMAT,
            **self.spec(),
            "files": {name: sha256_file(directory / name) for name in self.files},
            "fitted": self.fitted_,
            "versions": {"koembed": __version__, self.library: _version(self.library)},
        }
        # Written last: a folder without it is never taken for a complete artefact.
        (directory / ARTEFACT_META).write_text(
            json.dumps(meta, ensure_ascii=False, indent=2),
            encoding="utf-8",
            errors="backslashreplace",  # a non-UTF-8 file name, as in manifests
        )

    def _no_text(self, stream: _CountingStream) -> BadInputError:
        return BadInputError(
            f"no text to train the {self.name} tokenizer on ({stream.lines} lines, none with "
            f"words); check the text it trains on, column and encoding",
            parameters=("column", "encoding"),
        )


class _CountingStream:
    """Iterate lines once, counting them and keeping any error they raise."""

    def __init__(self, lines: Iterable[str]):
        self._lines = lines
        self.lines = 0
        self.words = 0
        self.error: BaseException | None = None

    def __iter__(self) -> Iterator[str]:
        try:
            for line in self._lines:
                self.lines += 1
                self.words += len(line.split())
                # What the tokenizer will see later, so it learns from the same text.
                yield from pieces(clean_text(line))
        except GeneratorExit:  # the library stopped reading early: not an error
            raise
        except BaseException as error:  # Ctrl-C included
            self.error = error
            raise


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def corrupt(path: str | os.PathLike, detail: str) -> BadInputError:
    """The error for a trained-tokenizer folder that cannot be used.

    Said in plain words: a model's own tokenizer folder and an interrupted
    run's are loaded this way too, not only a folder given as ``tokenizer_model``.
    """
    return BadInputError(
        f"trained tokenizer {path} is corrupt ({detail}); tokenize its corpus again to retrain it"
    )


def load_tokenizer(path: str | os.PathLike) -> TrainableTokenizer:
    """Load a tokenizer saved by ``TrainableTokenizer.save`` or ``koembed tokenize``.

    Args:
        path: the artefact folder, e.g. ``work/nsmc.txt.tokenizer``.

    Raises:
        BadInputError: the folder is missing, is not a trained tokenizer, or
            a file in it is missing, altered or unreadable.
    """
    path = Path(path)
    if not path.exists():
        raise BadInputError(
            f"trained tokenizer {path} does not exist; pass the folder 'koembed tokenize' "
            f"saved beside its output (<output>{ARTEFACT_SUFFIX})"
        )
    if not path.is_dir():
        raise BadInputError(
            f"trained tokenizer {path} is a file; pass the folder that holds it "
            f"(the one with {ARTEFACT_META})"
        )
    meta_path = path / ARTEFACT_META
    if not meta_path.exists():
        raise BadInputError(
            f"{path} is not a trained tokenizer (no {ARTEFACT_META}); pass a folder "
            f"saved by 'koembed tokenize' (<output>{ARTEFACT_SUFFIX})"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        name = meta["name"]
        options = dict(meta["options"])
        user_dict = UserDictionary.from_spec(meta.get("user_dict"))
        files = dict(meta["files"])
    except (ValueError, UnicodeDecodeError, KeyError, TypeError):
        raise corrupt(path, f"{ARTEFACT_META} is not valid") from None
    if meta.get("format") != ARTEFACT_FORMAT:
        raise corrupt(path, f"format {meta.get('format')!r}, expected {ARTEFACT_FORMAT!r}")
    if name not in TOKENIZERS or not TOKENIZERS.get(name).trainable:
        raise corrupt(path, f"{name!r} is not a trainable tokenizer")
    tokenizer = create_tokenizer(name, user_dict=user_dict, **options)
    assert isinstance(tokenizer, TrainableTokenizer)
    for file_name in tokenizer.files:
        file_path = path / file_name
        if not file_path.is_file():
            raise corrupt(path, f"{file_name} is missing")
        if sha256_file(file_path) != files.get(file_name):
            raise corrupt(path, f"{file_name} does not match its checksum")
    tokenizer._load_state(path)
    tokenizer.fitted_ = meta.get("fitted") or {}
    return tokenizer


def tokenizer_from_model_spec(spec: dict, base_dir: str | os.PathLike | None) -> Tokenizer:
    """Load the trained tokenizer a pipeline spec points at (see ``tokenizer_from_spec``)."""
    name = spec["name"]
    model = spec.get("model")
    if model is None:
        raise BadInputError(
            f"the {name} tokenizer is trained on a corpus, but this description of it names "
            f"no trained tokenizer folder; tokenize the corpus again with 'koembed tokenize'"
        )
    path = Path(model)
    if not path.is_absolute():
        if base_dir is None:
            raise BadInputError(
                f"trained tokenizer path {model} is relative, but no folder to resolve it "
                f"against was given; pass base_dir"
            )
        path = Path(base_dir) / path
    tokenizer = load_tokenizer(path)
    if tokenizer.name != name:
        raise BadInputError(
            f"trained tokenizer {path} is a {tokenizer.name} tokenizer, but {name} was "
            f"recorded; the folder was replaced, so tokenize the corpus again"
        )
    return tokenizer


def with_model(pipeline_spec: dict, model: str | os.PathLike | None) -> dict:
    """A copy of a pipeline spec whose tokenizer points at ``model``."""
    spec = copy.deepcopy(pipeline_spec)
    if model is None:
        spec["tokenizer"].pop("model", None)
    else:
        spec["tokenizer"]["model"] = os.fspath(model)
    return spec


def model_dir(pipeline_spec: dict, base_dir: str | os.PathLike) -> Path | None:
    """The folder a pipeline spec's trained tokenizer lives in, or ``None``."""
    model = pipeline_spec.get("tokenizer", {}).get("model")
    if model is None:
        return None
    return Path(base_dir) / model  # an absolute ``model`` wins in the join
