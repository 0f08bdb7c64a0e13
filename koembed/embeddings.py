"""Word vectors plus what made them: the one type every trainer returns.

A model directory holds::

    koembed.json   method, parameters, corpus manifest, text pipeline spec
    vocab.txt      one word a line, TAB, its corpus count (row order)
    vectors.npy    float32 matrix, loaded memory-mapped, no pickle
    vectors.norm.npy  the same rows scaled to length 1, so queries need no
                   normalizing pass at load time (optional: computed if absent)
    vectors.txt    the same vectors in word2vec text format
    vectors.bin    word2vec binary format (when saved with binary=True)
    tokenizer/     the trained tokenizer (soynlp, sentencepiece, bpe, wordpiece)
                   that made the corpus, so queries are tokenized the same way
    NAME.npy       extra arrays a method keeps (``Embeddings.arrays``), e.g.
                   fastText's n-gram buckets ``ngrams.npy`` or LSA's
                   ``doc_vectors.npy``; listed under ``files`` in koembed.json

Loading needs only the first three and the extra arrays; the word2vec files
are for other tools (gensim, fastText, the original word2vec). ``load`` also
reads bare word2vec/GloVe/fastText files made elsewhere.
"""

from __future__ import annotations

import json
import logging
import os
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from koembed.errors import BadInputError, KoembedError
from koembed.outputs import atomic_output, check_output
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
FASTTEXT_MAGIC = 793712314  # first int32 of a Facebook fastText .bin model


class UnknownWordError(KoembedError, KeyError):
    """A query word with no vector; carries the closest vocabulary spellings."""

    def __init__(self, word: str, suggestions: Sequence[str], tokens: Sequence[str] = ()):
        self.word = word
        self.suggestions = list(suggestions)
        self.tokens = list(tokens)
        how = f" (tokenized as {' / '.join(tokens)})" if tokens and tokens != [word] else ""
        hint = (
            f"; closest in the vocabulary: {', '.join(self.suggestions)}"
            if self.suggestions
            else "; no similar spelling in the vocabulary"
        )
        super().__init__(f"{word!r} is not in the model's vocabulary{how}{hint}")

    def __str__(self) -> str:
        return self.args[0]

    def __reduce__(self):
        return type(self), (self.word, self.suggestions, self.tokens)


@dataclass
class ResolvedQuery:
    """How a query string maps onto the vocabulary."""

    text: str
    tokens: list[str]  # what the model's tokenizer made of the text
    found: list[str]  # the tokens that have vectors, averaged for the query
    missing: list[str]
    # Tokens of ``found`` outside the vocabulary whose vectors come from their
    # character n-grams (subword models such as fastText only).
    subword: list[str] = field(default_factory=list)


class Embeddings:
    """A vocabulary, its vectors, and metadata about how they were made.

    Args:
        words: the vocabulary, one entry per row of ``vectors``.
        vectors: a ``(len(words), dim)`` float matrix.
        counts: corpus frequency of each word, if known.
        meta: method, parameters, corpus manifest and ``pipeline`` spec.
        arrays: extra named arrays saved as ``NAME.npy`` beside the vectors
            (fastText n-gram buckets, LSA document vectors...).
    """

    def __init__(
        self,
        words: Sequence[str],
        vectors: np.ndarray,
        counts: np.ndarray | None = None,
        meta: dict | None = None,
        arrays: dict[str, np.ndarray] | None = None,
    ):
        self.words = list(words)
        self.vectors = vectors
        self.counts = counts
        self.meta = meta or {}
        self.arrays = dict(arrays or {})
        self._index: dict[str, int] | None = None
        self._unit: np.ndarray | None = None
        self._pipeline = None
        self._spelling = None
        #: the model directory this was loaded from or saved to; a trained
        #: tokenizer's relative path in ``meta["pipeline"]`` is resolved against it
        self.base_dir: Path | None = None

    # -- basics --------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def __repr__(self) -> str:
        method = self.meta.get("method", "vectors")
        return f"<Embeddings {method}: {len(self)} words x {self.dim} dims>"

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    @property
    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {word: row for row, word in enumerate(self.words)}
        return self._index

    @property
    def unit_vectors(self) -> np.ndarray:
        """Rows scaled to length 1 (zero rows stay zero), computed once."""
        if self._unit is None:
            matrix = np.asarray(self.vectors, dtype=np.float32)
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            self._unit = matrix / norms
        return self._unit

    def vector(self, word: str) -> np.ndarray:
        """The vector of a vocabulary word.

        Raises:
            UnknownWordError: the word is not in the vocabulary.
        """
        row = self.index.get(word)
        if row is None:
            raise UnknownWordError(word, self.suggest(word))
        return np.asarray(self.vectors[row])

    def suggest(self, word: str, n: int = 5) -> list[str]:
        """Vocabulary words spelled most like ``word`` (fewest jamo edits)."""
        if self._spelling is None:
            from koembed.spelling import SpellingIndex

            self._spelling = SpellingIndex(self.words)
        return self._spelling.closest(word, n=n)

    # -- queries -------------------------------------------------------------

    def pipeline(self):
        """The normalizer + tokenizer the training corpus went through."""
        if self._pipeline is None:
            from koembed.tokenizers.base import TextPipeline, create_tokenizer

            spec = self.meta.get("pipeline")
            self._pipeline = (
                TextPipeline.from_spec(spec, base_dir=self.base_dir)
                if spec
                else TextPipeline(create_tokenizer("whitespace"))
            )
        return self._pipeline

    def resolve(self, text: str) -> ResolvedQuery:
        """Map a query onto vocabulary tokens.

        A vocabulary word is used as is; anything else goes through the
        model's own tokenizer (``희망을`` -> ``희망 / 을``) and the tokens that
        have vectors are used.

        Raises:
            UnknownWordError: none of the query's tokens has a vector.
        """
        if text in self.index:
            return ResolvedQuery(text, [text], [text], [])
        tokens = self.pipeline()(text)
        found = [t for t in tokens if t in self.index]
        missing = [t for t in tokens if t not in self.index]
        if not found:
            raise UnknownWordError(text, self.suggest(text), tokens)
        return ResolvedQuery(text, tokens, found, missing)

    def query_vector(
        self, positive: Sequence[str], negative: Sequence[str] = ()
    ) -> tuple[np.ndarray, list[ResolvedQuery]]:
        """Mean of the unit vectors of ``positive`` minus those of ``negative``."""
        resolved = []
        total = np.zeros(self.dim, dtype=np.float32)
        for sign, texts in ((1.0, positive), (-1.0, negative)):
            for text in texts:
                query = self.resolve(text)
                resolved.append(query)
                total += sign * self._mean_unit_vector(query)
        if not np.isfinite(total).all():
            where = self.base_dir or self.meta.get("source", "the model")
            raise BadInputError(
                f"the vectors of {', '.join(q.text for q in resolved)} hold NaN or infinity: "
                f"{where} is corrupt; train or save it again"
            )
        return total, resolved

    def _mean_unit_vector(self, query: ResolvedQuery) -> np.ndarray:
        """Mean of the unit vectors of a resolved query's tokens."""
        return self.unit_vectors[[self.index[t] for t in query.found]].mean(axis=0)

    def most_similar(
        self,
        positive: str | Sequence[str],
        negative: Sequence[str] = (),
        topn: int = 10,
        restrict_vocab: int | None = None,
    ) -> list[tuple[str, float]]:
        """Nearest words by cosine similarity, excluding the query's own tokens.

        Args:
            positive: a word or text, or several (their vectors are averaged).
            negative: words whose vectors are subtracted.
            topn: how many neighbours to return.
            restrict_vocab: search only the first (most frequent) N words.

        Raises:
            UnknownWordError: a query has no token in the vocabulary.
        """
        return self.most_similar_resolved(positive, negative, topn, restrict_vocab)[0]

    def most_similar_resolved(
        self,
        positive: str | Sequence[str],
        negative: Sequence[str] = (),
        topn: int = 10,
        restrict_vocab: int | None = None,
    ) -> tuple[list[tuple[str, float]], list[ResolvedQuery]]:
        """Like :meth:`most_similar`, also saying how each query was resolved."""
        if isinstance(positive, str):
            positive = [positive]
        if topn < 1:
            raise BadInputError(f"--topn must be 1 or more, got {topn}")
        if restrict_vocab is not None and restrict_vocab < 1:
            raise BadInputError(f"--restrict-vocab must be 1 or more, got {restrict_vocab}")
        target, resolved = self.query_vector(positive, negative)
        norm = np.linalg.norm(target)
        if norm == 0:
            return [], resolved
        # BLAS, threaded: the product is memory-bound, and one thread cannot go
        # faster than memory (36K x 100 words: 0.26 ms with 2 threads, 0.51 ms with
        # one, 0.58 ms with einsum). With every core busy (4 spinning processes on
        # 2 cores) its median stayed 0.27 ms though its p99 rose to 16 ms (einsum's 9 ms).
        scores = self.unit_vectors[:restrict_vocab] @ (target / norm)
        exclude = {self.index[t] for query in resolved for t in query.found if t in self.index}
        wanted = min(topn + len(exclude), len(scores))
        best = np.argpartition(-scores, wanted - 1)[:wanted]
        best = best[np.argsort(-scores[best])]
        results = [(self.words[i], float(scores[i])) for i in best if i not in exclude]
        return results[:topn], resolved

    def similarity(self, first: str, second: str) -> float:
        """Cosine similarity of two words or texts."""
        a, _ = self.query_vector([first])
        b, _ = self.query_vector([second])
        return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))

    # -- saving ----------------------------------------------------------------

    def save(
        self, path: str | os.PathLike, *, binary: bool = False, overwrite: bool = False
    ) -> Path:
        """Write a model directory (see the module docstring).

        The directory appears under its final name only when complete.

        Raises:
            OutputExistsError: ``path`` exists and ``overwrite`` is false.
        """
        target = check_output(path, overwrite=overwrite)
        bad = [w for w in self.words if not w or any(c.isspace() for c in w)]
        if bad:
            raise BadInputError(
                f"{len(bad)} vocabulary entries are empty or contain whitespace "
                f"(e.g. {bad[0]!r}); word2vec files cannot hold them"
            )
        matrix = np.ascontiguousarray(self.vectors, dtype=np.float32)
        meta = {
            "format": MODEL_FORMAT,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            **self.meta,
            "vocab_size": len(self.words),
            "dim": self.dim,
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
        tokenizer = self._trained_tokenizer()
        if tokenizer is not None:
            from koembed.tokenizers.trained import with_model

            # The model carries its own copy, so it still answers queries
            # after the tokenized corpus and its tokenizer folder are gone.
            meta["pipeline"] = with_model(meta["pipeline"], TOKENIZER_DIR)
            meta["files"]["tokenizer"] = TOKENIZER_DIR
        for name in self.arrays:
            meta["files"][name] = f"{name}.npy"
        with atomic_output(target, directory=True) as work:
            if tokenizer is not None:
                tokenizer.save_files(work / TOKENIZER_DIR)
            np.save(work / MATRIX_FILE, matrix, allow_pickle=False)
            np.save(work / UNIT_FILE, self.unit_vectors, allow_pickle=False)
            for name, array in self.arrays.items():
                np.save(work / f"{name}.npy", np.asarray(array), allow_pickle=False)
            with open(work / VOCAB_FILE, "w", encoding="utf-8", newline="\n") as out:
                counts = self.counts if self.counts is not None else [None] * len(self.words)
                for word, count in zip(self.words, counts):
                    out.write(word if count is None else f"{word}\t{int(count)}")
                    out.write("\n")
            _write_word2vec_text(work / TEXT_FILE, self.words, matrix)
            if binary:
                _write_word2vec_binary(work / BINARY_FILE, self.words, matrix)
            (work / META_FILE).write_text(
                json.dumps(meta, ensure_ascii=False, indent=2, default=_json_default),
                encoding="utf-8",
                errors="backslashreplace",  # a non-UTF-8 file name, as in manifests
            )
        self.meta = meta
        self.base_dir = target
        return target

    def _trained_tokenizer(self):
        """The trained tokenizer the pipeline uses, or ``None`` for other kinds."""
        spec = self.meta.get("pipeline")
        if not spec or spec.get("tokenizer", {}).get("model") is None:
            return None
        return self.pipeline().tokenizer


def _json_default(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, Path):
        return str(value)
    raise TypeError(f"cannot store {type(value).__name__} in koembed.json")


def _write_word2vec_text(path: Path, words: Sequence[str], matrix: np.ndarray) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as out:
        out.write(f"{matrix.shape[0]} {matrix.shape[1]}\n")
        row_format = " ".join(["%.6g"] * matrix.shape[1])
        for word, row in zip(words, matrix):
            out.write(word + " " + row_format % tuple(row.tolist()) + "\n")


def _write_word2vec_binary(path: Path, words: Sequence[str], matrix: np.ndarray) -> None:
    # As the original word2vec C tool writes it: "word " + float32 bytes + "\n".
    little_endian = matrix.astype("<f4", copy=False)
    with open(path, "wb") as out:
        out.write(f"{matrix.shape[0]} {matrix.shape[1]}\n".encode())
        for word, row in zip(words, little_endian):
            out.write(word.encode("utf-8") + b" " + row.tobytes() + b"\n")


# -- loading -------------------------------------------------------------------


PICKLE_SUFFIXES = (".kv", ".model", ".pkl", ".pickle")


def load(path: str | os.PathLike, *, trust: bool = False) -> Embeddings:
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
    if _is_pickle(path):
        if not trust:
            raise BadInputError(
                f"{path} is a Python pickle (gensim .kv/.model): loading it can run "
                f"arbitrary code. Pass --trust (trust=True) only if you trust its source, "
                f"or convert it to word2vec format"
            )
        return _load_pickle(path)
    return _load_vectors_file(path)


def _is_pickle(path: Path) -> bool:
    if path.suffix.lower() in PICKLE_SUFFIXES:
        return True
    with open(path, "rb") as handle:
        head = handle.read(2)
    return len(head) == 2 and head[0] == 0x80 and head[1] <= 5  # pickle PROTO opcode


def _load_pickle(path: Path) -> Embeddings:
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
    return Embeddings(list(vectors.index_to_key), vectors.vectors, None, meta)


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


def _load_directory(path: Path) -> Embeddings:
    meta_path = path / META_FILE
    # is_file, not exists: a FIFO or a link to /dev/zero would hang or fill memory.
    if not meta_path.is_file():
        raise BadInputError(
            f"{path} is not a koembed model directory (no {META_FILE}); "
            f"pass the directory written by 'koembed train'"
        )
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BadInputError(
            f"{meta_path} is not valid JSON; the model is corrupt, train it again"
        ) from None
    if not isinstance(meta, dict):
        raise BadInputError(
            f"{meta_path} holds a JSON {type(meta).__name__}, not the model's metadata object; "
            f"the model is corrupt, train it again"
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
    if "subword" in meta:
        from koembed.subword import SubwordEmbeddings

        model: Embeddings = SubwordEmbeddings(words, matrix, counts, meta, arrays)
    elif isinstance(meta.get("documents"), dict):  # a document model (an int is LSA's count)
        from koembed.documents.base import model_class

        model = model_class(meta)(words, matrix, counts, meta, arrays)
    else:
        model = Embeddings(words, matrix, counts, meta, arrays)
    model.base_dir = path
    if (path / UNIT_FILE).exists():
        try:
            unit = _load_npy(path / UNIT_FILE)
        except (ValueError, OSError, EOFError) as error:
            raise BadInputError(
                f"{path / UNIT_FILE} is corrupt ({error}); delete it (it is optional) "
                f"or train the model again"
            ) from None
        if unit.shape != matrix.shape:
            raise BadInputError(
                f"model directory {path} is inconsistent: {UNIT_FILE} has shape {unit.shape}, "
                f"{MATRIX_FILE} {matrix.shape}; delete {UNIT_FILE} (it is optional)"
            )
        # A plain ndarray view of the map: np.memmap's wrapping costs on every product.
        model._unit = np.asarray(unit)
    return model


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


def _load_vectors_file(path: Path) -> Embeddings:
    from gensim.models import KeyedVectors  # heavy; only bare files need it

    name = path.name.lower()
    if path.stat().st_size == 0:
        raise BadInputError(f"{path} is empty; expected word2vec, GloVe or fastText vectors")
    _check_header(path)
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
                str(path), binary=False, no_header=not _has_word2vec_header(path)
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
    return Embeddings(list(vectors.index_to_key), vectors.vectors, None, meta)


def _check_header(path: Path) -> None:
    """Refuse a word2vec header promising more than the file can hold.

    gensim allocates ``count x dim`` floats from the header before reading a
    row, so a 20-byte file claiming two billion words took a minute and all
    the memory before failing.
    """
    import gzip

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
        from koembed.cooccur import ram_gib

        ram = ram_gib()
        limit = int(ram * 1024**3) if ram is not None else None
        per_value = 4
    if dim == 0 or (limit is not None and count * dim * per_value > limit):
        raise BadInputError(
            f"{path}: its header promises {count:,} words x {dim:,} dims, which the file "
            f"cannot hold ({path.stat().st_size:,} bytes); it is truncated or not a vectors file"
        )


def _has_word2vec_header(path: Path) -> bool:
    import gzip

    opener = gzip.open if path.name.lower().endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8", errors="replace") as handle:
        first = handle.readline().split()
    return len(first) == 2 and all(part.isdigit() for part in first)
