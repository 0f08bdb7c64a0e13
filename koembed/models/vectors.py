"""Word vectors: the vocabulary, the matrix, and the look-ups every query builds on.

:class:`WordVectors` holds the vocabulary, the matrix and the metadata
(method, parameters, corpus manifest, text pipeline), gives a word's vector
(``model[word]``), maps a query onto the vocabulary, tokenizing it as the
corpus was, and finds nearest neighbours. :class:`~koembed.models.embeddings.Embeddings`
adds the other questions (similarity, analogies, benchmarks) as methods; the
functions answering them (:mod:`koembed.models.queries`,
:mod:`koembed.models.benchmarks`) take a ``WordVectors``, so they sit between
the two without an import cycle. Saving and loading are
:mod:`koembed.models.directory`'s; other tools' formats are :mod:`koembed.models.formats`'.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from koembed.errors import BadInputError, KoembedError
from koembed.models.directory import MATRIX_FILE, save_model
from koembed.models.indexed import Indexed
from koembed.models.neighbours import WORDS
from koembed.models.prefix import PrefixIndex
from koembed.models.spelling import SpellingIndex
from koembed.tokenizers.base import create_tokenizer
from koembed.tokenizers.spec import TextPipeline

log = logging.getLogger(__name__)


class UnknownWordError(KoembedError, KeyError):
    """A query with no vector, or with tokens that have none (``missing``);
    carries the closest vocabulary spellings."""

    def __init__(
        self,
        word: str,
        suggestions: Sequence[str],
        tokens: Sequence[str] = (),
        missing: Sequence[str] = (),
    ):
        self.word = word
        self.suggestions = list(suggestions)
        self.tokens = list(tokens)
        self.missing = list(missing)
        how = f" (tokenized as {' / '.join(tokens)})" if tokens and tokens != [word] else ""
        hint = (
            f"; closest in the vocabulary: {', '.join(self.suggestions)}"
            if self.suggestions
            else "; no similar spelling in the vocabulary"
        )
        known = [token for token in self.tokens if token not in self.missing]
        if self.missing and known:
            # A half-known query: answering for the known part would answer another question.
            message = (
                f"{word!r} is not in the model's vocabulary: it is tokenized as "
                f"{' / '.join(tokens)}, and {', '.join(self.missing)} "
                f"{'has' if len(self.missing) == 1 else 'have'} no vector{hint} "
                f"(partial=True answers for {' / '.join(known)} alone)"
            )
        else:
            message = f"{word!r} is not in the model's vocabulary{how}{hint}"
        super().__init__(message)
        self.parameters = ("partial",) if self.missing and known else ()

    def __str__(self) -> str:
        return self.args[0]

    def __reduce__(self):
        return type(self), (self.word, self.suggestions, self.tokens, self.missing)


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


class WordVectors(Indexed):
    """A vocabulary, its vectors, and metadata about how they were made.

    The base of :class:`~koembed.models.embeddings.Embeddings`, which is what
    trainers return and ``koembed.load`` gives.

    Args:
        words: the vocabulary, one entry per row of ``vectors``.
        vectors: a ``(len(words), dim)`` float matrix.
        counts: corpus frequency of each word, if known.
        meta: method, parameters, corpus manifest and ``pipeline`` spec.
        arrays: extra named arrays saved as ``NAME.npy`` beside the vectors
            (fastText n-gram buckets, LSA document vectors...).
    """

    #: what ``koembed.json`` records as ``kind`` (see ``koembed.registry.MODEL_KINDS``)
    kind: ClassVar[str] = "words"
    index_of: ClassVar[str] = WORDS

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
        self._prefixes = None
        self._neighbours = None
        #: the model directory this was loaded from or saved to; a trained
        #: tokenizer's relative path in ``meta["pipeline"]`` is resolved against it
        self.base_dir: Path | None = None
        self._check_arrays()

    def _check_arrays(self) -> None:
        """Check the kind's own settings and ``arrays``; a kind that keeps more
        (fastText's n-grams) overrides this.

        Raises:
            BadInputError: they are missing or do not fit the vectors.
        """

    @classmethod
    def from_arrays(
        cls,
        words: Sequence[str],
        vectors: np.ndarray,
        counts: np.ndarray | None,
        meta: dict,
        arrays: dict[str, np.ndarray],
        *,
        unit: np.ndarray | None = None,
        base_dir: Path | None = None,
    ) -> WordVectors:
        """Rebuild a saved model of this kind from what its directory holds.

        Args:
            unit: the rows scaled to length 1 (``vectors.norm.npy``), if saved.
            base_dir: the model directory.
        """
        model = cls(words, vectors, counts, meta, arrays)
        model._unit = unit
        model.base_dir = base_dir
        return model

    # -- basics --------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: object) -> bool:
        return word in self.index

    def __repr__(self) -> str:
        method = self.meta.get("method", "vectors")
        return f"<Embeddings {method}: {len(self)} words x {self.dim} dims>"

    def __getitem__(self, words: str | Sequence[str]) -> np.ndarray:
        """``model["희망"]``: a word's vector; ``model[["희망", "절망"]]``: a matrix of
        their vectors, one row each (as gensim's ``wv[...]``).

        Raises:
            UnknownWordError: a word has no vector.
        """
        if isinstance(words, str):
            return self.vector(words)
        rows = [self.vector(word) for word in words]
        return np.vstack(rows) if rows else np.zeros((0, self.dim), dtype=np.float32)

    def get_vector(self, word: str, norm: bool = False) -> np.ndarray:
        """A word's vector (``model[word]``), scaled to length 1 with ``norm``.

        Raises:
            UnknownWordError: the word has no vector.
        """
        vector = self.vector(word)
        if not norm:
            return vector
        length = float(np.linalg.norm(vector))
        return vector / length if length else vector

    @property
    def dim(self) -> int:
        return int(self.vectors.shape[1])

    @property
    def vector_size(self) -> int:
        """The dimensions, as gensim names them (:attr:`dim`)."""
        return self.dim

    @property
    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {word: row for row, word in enumerate(self.words)}
        return self._index

    @property
    def key_to_index(self) -> dict[str, int]:
        """Word -> row, as gensim names it (:attr:`index`)."""
        return self.index

    @property
    def index_to_key(self) -> list[str]:
        """Row -> word, as gensim names it (:attr:`words`)."""
        return self.words

    @property
    def unit_vectors(self) -> np.ndarray:
        """Rows scaled to length 1 (zero rows stay zero), computed once."""
        if self._unit is None:
            matrix = np.asarray(self.vectors, dtype=np.float32)
            norms = np.linalg.norm(matrix, axis=1, keepdims=True)
            norms[norms == 0] = 1.0
            self._unit = matrix / norms
        return self._unit

    def has_vector(self, token: str) -> bool:
        """Whether ``token`` has a vector (a subword model's unseen words do too)."""
        return token in self.index

    def unit_vector(self, token: str) -> np.ndarray:
        """``token``'s vector scaled to length 1 (see :meth:`has_vector`)."""
        return self.unit_vectors[self.index[token]]

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
            self._spelling = SpellingIndex(self.words)
        return self._spelling.closest(word, n=n)

    def complete(self, prefix: str, limit: int = 10) -> list[str]:
        """Up to ``limit`` vocabulary words beginning like ``prefix``, Hangul-aware
        (희마 and ㅎㅁ both find 희망): ``prefix`` itself first when it is a word,
        then the most frequent."""
        if self._prefixes is None:
            self._prefixes = PrefixIndex(self.words)
        exact = [prefix] if prefix in self.index and limit > 0 else []
        rows = self._prefixes.complete(prefix, limit + len(exact))
        return (exact + [self.words[row] for row in rows if self.words[row] != prefix])[:limit]

    # -- queries -------------------------------------------------------------

    def pipeline(self):
        """The normalizer + tokenizer the training corpus went through."""
        if self._pipeline is None:
            spec = self.meta.get("pipeline")
            self._pipeline = (
                TextPipeline.from_spec(spec, base_dir=self.base_dir)
                if spec
                else TextPipeline(create_tokenizer("whitespace"))
            )
        return self._pipeline

    def resolve(self, text: str, *, partial: bool = False) -> ResolvedQuery:
        """Map a query onto vocabulary tokens.

        A vocabulary word is used as is; anything else goes through the
        model's own tokenizer (``희망을`` -> ``희망 / 을``), and the query stands
        for the mean of its tokens' vectors.

        Args:
            partial: when some tokens have no vector, use the others (said in
                ``missing``) instead of refusing the query.

        Raises:
            UnknownWordError: a token has no vector (any, without ``partial``;
                all of them, with it).
        """
        if text in self.index:
            return ResolvedQuery(text, [text], [text], [])
        tokens = self.pipeline()(text)
        found = [t for t in tokens if self.has_vector(t)]
        missing = [t for t in tokens if not self.has_vector(t)]
        if not found or (missing and not partial):
            raise UnknownWordError(text, self._spellings(text, missing), tokens, missing)
        subword = [t for t in found if t not in self.index]
        return ResolvedQuery(text, tokens, found, missing, subword)

    def _spellings(self, text: str, missing: Sequence[str]) -> list[str]:
        """Spellings to offer for a query: of the whole word (a typo such as 희먕), or
        of each word with no vector when the query is several words."""
        words = text.split()
        if len(words) <= 1:
            return self.suggest(text)
        unknown = [word for word in words if not self.has_vector(word)] or list(missing)
        return list(dict.fromkeys(s for word in unknown for s in self.suggest(word, n=3)))

    def query_vector(
        self, positive: Sequence[str], negative: Sequence[str] = (), *, partial: bool = False
    ) -> tuple[np.ndarray, list[ResolvedQuery]]:
        """Mean of the unit vectors of ``positive`` minus those of ``negative``
        (``partial``: see :meth:`resolve`)."""
        resolved = []
        total = np.zeros(self.dim, dtype=np.float32)
        for sign, texts in ((1.0, positive), (-1.0, negative)):
            for text in texts:
                query = self.resolve(text, partial=partial)
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
        if not query.subword:
            return self.unit_vectors[[self.index[t] for t in query.found]].mean(axis=0)
        return np.mean([self.unit_vector(token) for token in query.found], axis=0)

    def most_similar(
        self, positive: str | Sequence[str], *args: Any, **options: Any
    ) -> list[tuple[str, float]]:
        """Nearest words by cosine similarity, excluding the query's own tokens:
        ``[(word, cosine), ...]``, best first.

        Takes the arguments of :meth:`most_similar_resolved`, which also says
        how each query was resolved.
        """
        return self.most_similar_resolved(positive, *args, **options)[0]

    def most_similar_resolved(
        self,
        positive: str | Sequence[str],
        negative: Sequence[str] = (),
        topn: int = 10,
        restrict_vocab: int | None = None,
        *,
        partial: bool = False,
        exact: bool = False,
    ) -> tuple[list[tuple[str, float]], list[ResolvedQuery]]:
        """Nearest words by cosine similarity, excluding the query's own tokens,
        and how each query was resolved.

        Args:
            positive: a word or text, or several (their vectors are averaged).
            negative: words whose vectors are subtracted.
            topn: how many neighbours to return.
            restrict_vocab: search only the first (most frequent) N words
                (always exactly).
            partial: a query with some tokens out of the vocabulary stands for
                the others (see :meth:`resolve`).
            exact: score every word even when the model directory has an
                approximate index (:meth:`neighbour_index`).

        Raises:
            UnknownWordError: a query token has no vector.
            BadInputError: the model's index is damaged or stale.
        """
        if isinstance(positive, str):
            positive = [positive]
        if topn < 1:
            raise BadInputError(f"topn must be 1 or more, got {topn}", parameters=("topn",))
        if restrict_vocab is not None and restrict_vocab < 1:
            raise BadInputError(
                f"restrict_vocab must be 1 or more, got {restrict_vocab}",
                parameters=("restrict_vocab",),
            )
        target, resolved = self.query_vector(positive, negative, partial=partial)
        norm = np.linalg.norm(target)
        if norm == 0:
            return [], resolved
        # BLAS, threaded: the product is memory-bound, and one thread cannot go
        # faster than memory (36K x 100 words: 0.26 ms with 2 threads, 0.51 ms with
        # one, 0.58 ms with einsum). With every core busy (4 spinning processes on
        # 2 cores) its median stayed 0.27 ms though its p99 rose to 16 ms (einsum's 9 ms).
        exclude = {self.index[t] for query in resolved for t in query.found if t in self.index}
        approximate = None if exact or restrict_vocab is not None else self.neighbour_index()
        if approximate is not None:
            rows, found = approximate.nearest(self.unit_vectors, target / norm, topn + len(exclude))
            kept = [(self.words[i], float(s)) for i, s in zip(rows, found) if i not in exclude]
            return kept[:topn], resolved
        scores = self.unit_vectors[:restrict_vocab] @ (target / norm)
        wanted = min(topn + len(exclude), len(scores))
        best = np.argpartition(-scores, wanted - 1)[:wanted]
        best = best[np.argsort(-scores[best])]
        results = [(self.words[i], float(scores[i])) for i in best if i not in exclude]
        return results[:topn], resolved

    # -- the approximate index (Indexed) -------------------------------------

    def _index_rows(self) -> np.ndarray:
        return self.unit_vectors

    def _index_source(self) -> str:
        return MATRIX_FILE

    def _index_size(self) -> int:
        return len(self)

    # -- saving ----------------------------------------------------------------

    def save(
        self, path: str | os.PathLike, *, binary: bool = False, overwrite: bool = False
    ) -> Path:
        """Write a model directory (see :mod:`koembed.models.directory`).

        The directory appears under its final name only when complete; with
        ``binary`` it also holds ``vectors.bin`` (word2vec binary format).

        Raises:
            OutputExistsError: ``path`` exists and ``overwrite`` is false.
        """
        self._neighbours = None  # a new directory has no index
        return save_model(
            self, path, kind=self.kind, arrays=self.arrays, binary=binary, overwrite=overwrite
        )

    def trained_tokenizer(self):
        """The trained tokenizer the pipeline uses (saved with the model), or ``None``."""
        spec = self.meta.get("pipeline")
        if not spec or spec.get("tokenizer", {}).get("model") is None:
            return None
        return self.pipeline().tokenizer
