"""Word vectors in other tools' formats: word2vec text and binary, GloVe text,
Facebook fastText ``.bin``, and (only when trusted) gensim's pickles.

Readers return ``(words, vectors, meta)``; writers take words and a matrix
(fastText's also its counts and n-gram rows).
None of the readers unpickles anything unless asked to.
"""

from __future__ import annotations

import gzip
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from koembed.errors import BadInputError
from koembed.resources import GIB, ram_gib

log = logging.getLogger(__name__)

FASTTEXT_MAGIC = 793712314  # first int32 of a Facebook fastText .bin model
PICKLE_SUFFIXES = (".kv", ".model", ".pkl", ".pickle")

#: What a reader returns: the vocabulary, its vectors, and metadata.
ReadVectors = tuple[list[str], np.ndarray, dict]


def write_word2vec_text(path: Path, words: Sequence[str], matrix: np.ndarray) -> None:
    """word2vec's text format: a ``count dim`` header, then ``word v1 v2 ...`` per line."""
    _write_text_rows(path, words, matrix, header=True)


def write_glove_text(path: Path, words: Sequence[str], matrix: np.ndarray) -> None:
    """GloVe's text format: ``word v1 v2 ...`` per line, no header."""
    _write_text_rows(path, words, matrix, header=False)


def _write_text_rows(path: Path, words: Sequence[str], matrix: np.ndarray, header: bool) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        if header:
            out.write(f"{matrix.shape[0]} {matrix.shape[1]}\n")
        row_format = " ".join(["%.6g"] * matrix.shape[1])
        for word, row in zip(words, matrix):
            out.write(word + " " + row_format % tuple(row.tolist()) + "\n")


def write_word2vec_binary(path: Path, words: Sequence[str], matrix: np.ndarray) -> None:
    """word2vec's binary format, which gensim and the C tools read."""
    # As the original word2vec C tool writes it: "word " + float32 bytes + "\n".
    little_endian = matrix.astype("<f4", copy=False)
    with open(path, "wb") as out:
        out.write(f"{matrix.shape[0]} {matrix.shape[1]}\n".encode())
        for word, row in zip(words, little_endian):
            out.write(word.encode("utf-8") + b" " + row.tobytes() + b"\n")


def write_fasttext_bin(
    path: Path,
    words: Sequence[str],
    counts: np.ndarray,
    vectors_vocab: np.ndarray,
    ngrams: np.ndarray,
    *,
    min_n: int,
    max_n: int,
    params: Mapping[str, Any],
    corpus_words: int = 0,
) -> None:
    """Facebook fastText's ``.bin`` model, which the ``fasttext`` tools and gensim's
    ``load_facebook_model`` read, written by gensim's ``save_facebook_model``.

    A word's vector there is the mean of its own row and its n-grams' rows,
    and an unseen word's the mean of its n-grams' rows, as in koembed.

    Args:
        words, counts: the vocabulary (as its n-grams are hashed) and corpus counts.
        vectors_vocab: the words' own rows (gensim's ``wv.vectors_vocab``).
        ngrams: the ``(bucket, dim)`` n-gram rows.
        params: the training parameters; ``sg``, ``window``, ``negative``,
            ``hs``, ``sample``, ``epochs`` and ``min_count`` go into the header.
        corpus_words: tokens in the training corpus (the header's count).

    The output layer (needed only to train further) is not kept by koembed:
    it is written as zeros.
    """
    from gensim.models.fasttext import FastText, save_facebook_model

    bucket, dim = ngrams.shape
    model = FastText(
        vector_size=dim,
        min_n=min_n,
        max_n=max_n,
        bucket=bucket,
        sg=int(params.get("sg", True)),
        window=int(params.get("window", 5)),
        negative=int(params.get("negative", 5)),
        hs=int(params.get("hs", False)),
        sample=float(params.get("sample", 1e-3)),
        epochs=int(params.get("epochs", 5)),
        min_count=1,  # every word of the vocabulary is kept...
        sorted_vocab=0,  # ...in its order
    )
    model.build_vocab_from_freq(dict(zip(words, np.asarray(counts).tolist())))
    if len(model.wv) != len(words):
        raise BadInputError(
            f"{len(words) - len(model.wv)} vocabulary entries repeat another; "
            f"a fastText model cannot hold them"
        )
    order = [model.wv.key_to_index[word] for word in words]
    model.wv.vectors_vocab[order] = vectors_vocab
    model.wv.vectors_ngrams[:] = ngrams
    model.min_count = int(params.get("min_count", 1))
    model.corpus_total_words = int(corpus_words)
    save_facebook_model(model, str(path))


def is_pickle(path: Path) -> bool:
    """Whether ``path`` is a Python pickle (by its suffix or its first bytes)."""
    if path.suffix.lower() in PICKLE_SUFFIXES:
        return True
    with open(path, "rb") as handle:
        head = handle.read(2)
    return len(head) == 2 and head[0] == 0x80 and head[1] <= 5  # pickle PROTO opcode


def read_pickle(path: Path) -> ReadVectors:
    """The vectors of a gensim ``.kv``/``.model`` pickle; unpickling runs its code."""
    log.warning("unpickling %s because it was trusted explicitly", path)
    from gensim.models import KeyedVectors
    from gensim.utils import SaveLoad

    try:
        loaded = SaveLoad.load(str(path))
    except Exception as error:  # an unpickler raises anything the file asks for
        raise BadInputError(f"cannot load {path} as a gensim model ({error})") from None
    vectors = loaded if isinstance(loaded, KeyedVectors) else getattr(loaded, "wv", None)
    if not isinstance(vectors, KeyedVectors):
        raise BadInputError(f"{path} holds a {type(loaded).__name__}, not gensim word vectors")
    meta = {"method": "imported", "source": str(path.resolve())}
    return list(vectors.index_to_key), vectors.vectors, meta


def read_vectors_file(path: Path) -> ReadVectors:
    """A bare vectors file: word2vec text or binary, GloVe text or a fastText ``.bin``.

    Raises:
        BadInputError: an empty file, or one that is none of these.
    """
    from gensim.models import KeyedVectors  # heavy; only bare files need it

    name = path.name.lower()
    if path.stat().st_size == 0:
        raise BadInputError(f"{path} is empty; expected word2vec, GloVe or fastText vectors")
    check_header(path)
    try:
        if name.endswith(".bin"):
            with open(path, "rb") as handle:
                magic = int.from_bytes(handle.read(4), "little")
            if magic == FASTTEXT_MAGIC:
                from gensim.models.fasttext import load_facebook_vectors

                vectors = load_facebook_vectors(str(path))
            else:
                vectors = KeyedVectors.load_word2vec_format(str(path), binary=True)
        else:
            vectors = KeyedVectors.load_word2vec_format(
                str(path), binary=False, no_header=not has_word2vec_header(path)
            )
    except MemoryError:
        raise
    except Exception as error:  # a parser meeting a stranger's file fails in any way
        raise BadInputError(
            f"cannot read {path} as word vectors ({type(error).__name__}: {error}); expected "
            f"word2vec text/binary, GloVe text or a fastText .bin model"
        ) from None
    # gensim invents counts for files that carry none, so none are kept.
    meta = {"method": "imported", "source": str(path.resolve())}
    return list(vectors.index_to_key), vectors.vectors, meta


def check_header(path: Path) -> None:
    """Refuse a word2vec header promising more than the file can hold.

    gensim allocates ``count x dim`` floats from the header before reading a
    row, so a 20-byte file claiming two billion words took a minute and all
    the memory before failing.
    """
    compressed = path.name.lower().endswith(".gz")
    opener = gzip.open if compressed else open
    try:
        with opener(path, "rb") as handle:
            first = handle.readline(256).split()
    except (OSError, EOFError):
        return  # the parser says what is wrong
    if len(first) != 2 or not all(part.isdigit() for part in first):
        return  # GloVe text or a fastText model: no count to trust
    count, dim = int(first[0]), int(first[1])
    # Each value takes at least 4 bytes in binary and 2 ("0 ") in text; a
    # compressed file's limit is the memory it would take.
    per_value = 4 if path.name.lower().endswith(".bin") else 2
    limit = path.stat().st_size
    if compressed:
        ram = ram_gib()
        limit = int(ram * GIB) if ram is not None else None
        per_value = 4
    if dim == 0 or (limit is not None and count * dim * per_value > limit):
        raise BadInputError(
            f"{path}: its header promises {count:,} words x {dim:,} dims, which the file "
            f"cannot hold ({path.stat().st_size:,} bytes); it is truncated or not a vectors file"
        )


def has_word2vec_header(path: Path) -> bool:
    """Whether a text vectors file starts with word2vec's ``count dim`` line (GloVe's does not)."""
    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
        first = handle.readline().split()
    return len(first) == 2 and all(part.isdigit() for part in first)
