"""The model directory: saving a model, and loading one (or a bare vectors file) back.

A model directory holds::

    koembed.json   kind, method, parameters, corpus manifest, text pipeline spec
    vocab.txt      one word a line, TAB, its corpus count (row order)
    vectors.npy    float32 matrix, loaded memory-mapped, no pickle
    vectors.norm.npy  the same rows scaled to length 1, so queries need no
                   normalizing pass at load time (optional: computed if absent)
    vectors.txt    the same vectors in word2vec text format
    vectors.bin    word2vec binary format (when saved with binary=True)
    tokenizer/     the trained tokenizer (soynlp, sentencepiece, bpe, wordpiece)
                   that made the corpus, so queries are tokenized the same way
    NAME.npy       extra arrays a kind of model keeps (``arrays``), e.g.
                   fastText's n-gram buckets ``ngrams.npy`` or a document
                   model's ``doc_vectors.npy``; listed under ``files``

Loading needs only the first three and the extra arrays; the word2vec files
are for other tools (gensim, fastText, the original word2vec). ``kind`` names
the class that reads the directory back, looked up in
``koembed.registry.MODEL_KINDS``; directories saved before ``kind`` was
recorded are recognised by their sections (``subword``, ``documents``).
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Mapping
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from koembed.errors import BadInputError
from koembed.models.formats import (
    is_pickle,
    read_pickle,
    read_vectors_file,
    write_word2vec_binary,
    write_word2vec_text,
)
from koembed.outputs import atomic_output, check_output
from koembed.registry import MODEL_KINDS
from koembed.resources import read_json_object
from koembed.tokenizers.trained import with_model
from koembed.versions import library_versions

log = logging.getLogger(__name__)

MODEL_FORMAT = "koembed-model/1"
META_FILE = "koembed.json"
VOCAB_FILE = "vocab.txt"
MATRIX_FILE = "vectors.npy"
UNIT_FILE = "vectors.norm.npy"
TEXT_FILE = "vectors.txt"
BINARY_FILE = "vectors.bin"
TOKENIZER_DIR = "tokenizer"
#: The kind of a plain word model (``koembed.json`` ``kind``).
WORDS = "words"


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in koembed.json")


def load(path: str | os.PathLike, *, trust: bool = False) -> Any:
    """Load a koembed model directory, or a bare word-vector file.

    Bare files: word2vec text (``.txt``/``.vec``, optionally ``.gz``), GloVe
    text (no header line), word2vec binary (``.bin``) and Facebook fastText
    ``.bin`` models. None of these needs a pickle.

    gensim's own ``.kv``/``.model`` files are Python pickles, and unpickling a
    stranger's file can run any code; they load only with ``trust=True``.

    Raises:
        BadInputError: nothing at ``path``, an incomplete or corrupt model, or a
            pickle without ``trust``.
    """
    path = Path(path)
    if path.is_dir():
        return _load_directory(path)
    if not path.exists():
        raise BadInputError(
            f"no model at {path}; pass a model directory made by 'koembed train' "
            f"or a word2vec/GloVe/fastText vectors file"
        )
    if is_pickle(path):
        if not trust:
            raise BadInputError(
                f"{path} is a Python pickle (gensim .kv/.model): loading it can run "
                f"arbitrary code. Pass --trust (trust=True) only if you trust its source, "
                f"or convert it to word2vec format"
            )
        return _imported(*read_pickle(path))
    return _imported(*read_vectors_file(path))


def _imported(words: list[str], vectors: np.ndarray, meta: dict) -> Any:
    return MODEL_KINDS.get(WORDS)(words, vectors, None, meta)


def _load_npy(path: Path) -> np.ndarray:
    """Memory-map a numeric ``.npy`` array; never unpickle.

    Raises:
        ValueError, OSError, EOFError: not a readable numeric array.
    """
    if not path.is_file():
        raise ValueError("not a regular file")
    with open(path, "rb") as handle:
        if handle.read(6) != b"\x93NUMPY":
            # numpy would call such a file a pickle and suggest loading it unsafely.
            raise ValueError("not a .npy array file")
    array = np.load(path, mmap_mode="r", allow_pickle=False)
    if array.dtype.kind not in "fiu":
        raise ValueError(f"holds {array.dtype} values, not numbers")
    return array


def _load_directory(path: Path) -> Any:
    meta_path = path / META_FILE
    # is_file, not exists: a FIFO or a link to /dev/zero would hang or fill memory.
    if not meta_path.is_file():
        raise BadInputError(
            f"{path} is not a koembed model directory (no {META_FILE}); "
            f"pass the directory written by 'koembed train'"
        )
    meta = read_json_object(
        meta_path, "the model is corrupt, train it again", "the model's metadata object"
    )
    for name in (VOCAB_FILE, MATRIX_FILE):
        if not (path / name).is_file():
            what = "not a regular file" if (path / name).exists() else "missing"
            raise BadInputError(
                f"model directory {path} is incomplete: {name} is {what}; train or save it again"
            )
    try:
        matrix = _load_npy(path / MATRIX_FILE)
    except (ValueError, OSError, EOFError) as error:
        raise BadInputError(
            f"{path / MATRIX_FILE} is corrupt ({error}); train the model again"
        ) from None
    words, counts = _read_vocab(path / VOCAB_FILE)
    if matrix.ndim != 2 or matrix.shape[0] != len(words):
        raise BadInputError(
            f"model directory {path} is inconsistent: {len(words)} words in {VOCAB_FILE} "
            f"but vectors of shape {matrix.shape}; train the model again"
        )
    arrays = {}
    for name, filename in meta.get("files", {}).items():
        if name in _STANDARD_FILES:
            continue
        try:
            arrays[name] = _load_npy(path / filename)
        except (ValueError, OSError, EOFError) as error:
            raise BadInputError(
                f"{path / filename} is missing or corrupt ({error}); train the model again"
            ) from None
    unit = _read_unit(path, matrix.shape) if (path / UNIT_FILE).exists() else None
    return model_kind(meta, meta_path).from_arrays(
        words, matrix, counts, meta, arrays, unit=unit, base_dir=path
    )


def _read_unit(path: Path, shape: tuple[int, ...]) -> np.ndarray:
    """The saved unit-length rows, checked against the matrix's shape."""
    try:
        unit = _load_npy(path / UNIT_FILE)
    except (ValueError, OSError, EOFError) as error:
        raise BadInputError(
            f"{path / UNIT_FILE} is corrupt ({error}); delete it (it is optional) "
            f"or train the model again"
        ) from None
    if unit.shape != shape:
        raise BadInputError(
            f"model directory {path} is inconsistent: {UNIT_FILE} has shape {unit.shape}, "
            f"{MATRIX_FILE} {shape}; delete {UNIT_FILE} (it is optional)"
        )
    # A plain ndarray view of the map: np.memmap's wrapping costs on every product.
    return np.asarray(unit)


def kind_of(meta: dict) -> str:
    """The kind of model ``meta`` describes: its ``kind``, or for directories saved
    before kinds were recorded, what its sections say."""
    kind = meta.get("kind")
    if kind is not None:
        return kind
    if "subword" in meta:
        return "subword"
    if isinstance(meta.get("documents"), dict):  # a document model (an int is LSA's count)
        return meta.get("method")
    return WORDS


def model_kind(meta: dict, where: Path | str) -> type:
    """The class that reads a model of ``meta``'s kind back (``MODEL_KINDS``).

    Raises:
        BadInputError: an unknown kind (saved by a newer koembed or a plugin
            that is not installed).
    """
    kind = kind_of(meta)
    if not isinstance(kind, str) or kind not in MODEL_KINDS:
        raise BadInputError(
            f"{where} describes a model of unknown kind {kind!r} (known: "
            f"{', '.join(MODEL_KINDS.names())}); it was saved by another koembed or a plugin "
            f"that is not installed: install it, or train the model again"
        )
    return MODEL_KINDS.get(kind)


# Files every model directory may have; any other entry under "files" is an
# extra array (Embeddings.arrays) saved as NAME.npy.
_STANDARD_FILES = (
    "vocab",
    "matrix",
    "unit_matrix",
    "word2vec_text",
    "word2vec_binary",
    "tokenizer",
)


# vocab.txt as save() writes it: every line "word<TAB>count".
_VOCAB_WITH_COUNTS = re.compile(r"(?:[^\t\n]+\t[0-9]+\n)*")


def _read_vocab(path: Path) -> tuple[list[str], np.ndarray | None]:
    # Loading time is mostly this file: the usual layout is checked with one
    # regex and parsed in bulk (a few ms for 50K words instead of tens); any
    # other file goes through the line-by-line reader, which names bad lines.
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise BadInputError(f"{path} is not UTF-8; the model is corrupt") from None
    if text and _VOCAB_WITH_COUNTS.fullmatch(text):
        fields = text.replace("\n", "\t").split("\t")[:-1]
        counts = np.fromstring(" ".join(fields[1::2]), dtype=np.int64, sep=" ")
        return fields[0::2], counts
    words: list[str] = []
    counts: list[int] = []
    try:
        with open(path, encoding="utf-8") as handle:
            for lineno, line in enumerate(handle, start=1):
                word, _, count = line.rstrip("\n").partition("\t")
                words.append(word)
                if count:
                    try:
                        counts.append(int(count))
                    except ValueError:
                        raise BadInputError(
                            f"{path}:{lineno}: count {count!r} is not a number; "
                            f"the model is corrupt"
                        ) from None
    except UnicodeDecodeError:
        raise BadInputError(f"{path} is not UTF-8; the model is corrupt") from None
    has_counts = len(counts) == len(words) and words
    return words, np.asarray(counts, dtype=np.int64) if has_counts else None


def save_model(
    model: Any,
    path: str | os.PathLike,
    *,
    kind: str,
    arrays: Mapping[str, np.ndarray],
    binary: bool = False,
    overwrite: bool = False,
) -> Path:
    """Write word vectors and a kind's arrays as a model directory (see the module docstring).

    Args:
        model: the word vectors (:class:`~koembed.models.vectors.WordVectors`):
            vocabulary, matrix, counts and metadata. Its ``meta`` becomes what
            was written, and its ``base_dir`` the directory.
        kind: what ``koembed.json`` records as ``kind`` (``MODEL_KINDS``).
        arrays: the extra arrays, each saved as ``NAME.npy``.

    The directory appears under its final name only when complete.

    Raises:
        OutputExistsError: ``path`` exists and ``overwrite`` is false.
    """
    target = check_output(path, overwrite=overwrite)
    bad = [w for w in model.words if not w or any(c.isspace() for c in w)]
    if bad:
        raise BadInputError(
            f"{len(bad)} vocabulary entries are empty or contain whitespace "
            f"(e.g. {bad[0]!r}); word2vec files cannot hold them"
        )
    matrix = np.ascontiguousarray(model.vectors, dtype=np.float32)
    meta = {
        "format": MODEL_FORMAT,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        **model.meta,
        "kind": kind,
        "vocab_size": len(model.words),
        "dim": model.dim,
        "files": {
            "vocab": VOCAB_FILE,
            "matrix": MATRIX_FILE,
            "unit_matrix": UNIT_FILE,
            "word2vec_text": TEXT_FILE,
        },
    }
    meta.setdefault("versions", library_versions())
    if binary:
        meta["files"]["word2vec_binary"] = BINARY_FILE
    tokenizer = model.trained_tokenizer()
    if tokenizer is not None:
        # The model carries its own copy, so it still answers queries
        # after the tokenized corpus and its tokenizer folder are gone.
        meta["pipeline"] = with_model(meta["pipeline"], TOKENIZER_DIR)
        meta["files"]["tokenizer"] = TOKENIZER_DIR
    for name in arrays:
        meta["files"][name] = f"{name}.npy"
    with atomic_output(target, directory=True) as work:
        if tokenizer is not None:
            tokenizer.save_files(work / TOKENIZER_DIR)
        np.save(work / MATRIX_FILE, matrix, allow_pickle=False)
        np.save(work / UNIT_FILE, model.unit_vectors, allow_pickle=False)
        for name, array in arrays.items():
            np.save(work / f"{name}.npy", np.asarray(array), allow_pickle=False)
        with open(work / VOCAB_FILE, "w", encoding="utf-8", newline="\n") as out:
            counts = model.counts if model.counts is not None else [None] * len(model.words)
            for word, count in zip(model.words, counts):
                out.write(word if count is None else f"{word}\t{int(count)}")
                out.write("\n")
        write_word2vec_text(work / TEXT_FILE, model.words, matrix)
        if binary:
            write_word2vec_binary(work / BINARY_FILE, model.words, matrix)
        (work / META_FILE).write_text(
            json.dumps(meta, ensure_ascii=False, indent=2, default=_json_default),
            encoding="utf-8",
            errors="backslashreplace",  # a non-UTF-8 file name, as in manifests
        )
    model.meta = meta
    model.base_dir = target
    return target
