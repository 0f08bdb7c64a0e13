"""Questions asked of word vectors: analogies (3CosAdd, 3CosMul), similarity,
the odd one out, the most frequent words.

Each question comes in two forms. The plain one answers as gensim does (a
cosine, a word, a ranked list of ``(word, score)``) and is also the
:class:`~koembed.models.embeddings.Embeddings` method of the same name:
``similarity(model, a, b) == model.similarity(a, b)``. The ``*_resolved``
one returns a dataclass that also says how the query words were tokenized
(``resolved``), which the CLI shows; ``to_dict()`` gives it as JSON. Nothing
here prints.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from koembed.errors import BadInputError, UnknownNameError
from koembed.models.vectors import ResolvedQuery, UnknownWordError, WordVectors

log = logging.getLogger(__name__)

#: Added to the denominator of 3CosMul, as in Levy & Goldberg (2014).
COSMUL_EPSILON = 1e-3
ANALOGY_METHODS = ("3cosadd", "3cosmul")


class Result:
    def to_dict(self) -> dict:
        return dataclasses.asdict(self)  # type: ignore[call-overload]


@dataclass
class AnalogyAnswer(Result):
    """``a`` is to ``b`` as ``c`` is to each of ``answers`` (best first)."""

    a: str
    b: str
    c: str
    method: str
    answers: list[tuple[str, float]]
    resolved: list[ResolvedQuery]


@dataclass
class Similarity(Result):
    first: str
    second: str
    cosine: float
    resolved: list[ResolvedQuery]


@dataclass
class OddOneOut(Result):
    """The word least like the others: lowest cosine to the mean of all."""

    odd: str
    cosines: list[tuple[str, float]]  # each word's cosine to the mean, lowest first
    resolved: list[ResolvedQuery]
    #: words with no vector, left out of the group (as gensim leaves them out)
    left_out: list[str] = field(default_factory=list)


@dataclass
class WordCount(Result):
    rank: int
    word: str
    count: int | None


def check_analogy_method(method: str) -> None:
    if method not in ANALOGY_METHODS:
        raise UnknownNameError("analogy method", method, ANALOGY_METHODS)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _query_unit(
    model: WordVectors, text: str, partial: bool = False
) -> tuple[np.ndarray, ResolvedQuery]:
    vector, (resolved,) = model.query_vector([text], partial=partial)
    return _unit(vector).astype(np.float32, copy=False), resolved


def check_topn(topn: int, name: str = "topn") -> None:
    """Refuse a number of answers below 1 (``name``: the parameter's name)."""
    if topn < 1:
        raise BadInputError(f"{name} must be 1 or more, got {topn}", parameters=(name,))


def candidate_vectors(model: WordVectors, restrict_vocab: int | None) -> np.ndarray:
    """The unit vectors answers are chosen from: the first ``restrict_vocab`` rows."""
    if restrict_vocab is not None and restrict_vocab < 1:
        raise BadInputError(
            f"restrict_vocab must be 1 or more, got {restrict_vocab}",
            parameters=("restrict_vocab",),
        )
    return model.unit_vectors[:restrict_vocab]


def analogy_scores(
    candidates: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, method: str
) -> np.ndarray:
    """Score every candidate ``d`` for ``a : b :: c : d``.

    Args:
        candidates: ``(n, dim)`` unit vectors.
        a, b, c: ``(batch, dim)`` unit vectors of the questions.
        method: ``"3cosadd"``: cos(d, b) - cos(d, a) + cos(d, c);
            ``"3cosmul"``: cos(d, b) cos(d, c) / (cos(d, a) + 0.001), with each
            cosine first shifted to [0, 1] as (1 + cos) / 2.

    Returns:
        A ``(batch, n)`` matrix, one matrix product per term.
    """
    check_analogy_method(method)
    if method == "3cosadd":
        # Linear in the three terms, so one product does: d . (b - a + c).
        return (b - a + c) @ candidates.T
    shifted = [(1.0 + x @ candidates.T) / 2.0 for x in (a, b, c)]
    return shifted[1] * shifted[2] / (shifted[0] + COSMUL_EPSILON)


def analogy(model: WordVectors, a: str, b: str, c: str, **options: Any) -> list[tuple[str, float]]:
    """``a`` is to ``b`` as ``c`` is to what? The answers, best first, with their scores.

    As :func:`analogy_resolved` (``method``, ``topn``, ``restrict_vocab``), which
    also says how the words were tokenized.
    """
    return analogy_resolved(model, a, b, c, **options).answers


def analogy_resolved(
    model: WordVectors,
    a: str,
    b: str,
    c: str,
    *,
    method: str = "3cosadd",
    topn: int = 10,
    restrict_vocab: int | None = None,
    partial: bool = False,
    exact: bool = False,
) -> AnalogyAnswer:
    """``a`` is to ``b`` as ``c`` is to what? (남자 : 왕 :: 여자 : 여왕)

    Each word goes through the model's tokenizer if it is not in the
    vocabulary; the tokens of the three question words are never answers.

    Args:
        method: ``"3cosadd"`` or ``"3cosmul"`` (see :func:`analogy_scores`).
        topn: how many answers.
        restrict_vocab: search only the first (most frequent) N words.
        partial: a question word with some tokens out of the vocabulary stands
            for the others (see :meth:`WordVectors.resolve`).
        exact: score every word even when the model has an approximate index
            (:meth:`WordVectors.neighbour_index`), which 3CosAdd uses: its
            score is a product with one vector, b - a + c. 3CosMul and
            ``restrict_vocab`` always score every word.

    Raises:
        UnknownWordError: a question word (or, without ``partial``, one of its
            tokens) has no vector.
        UnknownNameError: an unknown method.
    """
    check_analogy_method(method)
    check_topn(topn)
    candidates = candidate_vectors(model, restrict_vocab)
    vectors, resolved = zip(*(_query_unit(model, word, partial) for word in (a, b, c)))
    excluded = {model.index[t] for query in resolved for t in query.found if t in model.index}
    approximate = None
    if not exact and method == "3cosadd" and restrict_vocab is None:
        approximate = model.neighbour_index()
    if approximate is not None:
        query = vectors[1] - vectors[0] + vectors[2]
        rows, found = approximate.nearest(model.unit_vectors, query, topn + len(excluded))
        kept = [(model.words[i], float(s)) for i, s in zip(rows, found) if i not in excluded]
        return AnalogyAnswer(a, b, c, method, kept[:topn], list(resolved))
    scores = analogy_scores(candidates, *(v[None, :] for v in vectors), method)[0]
    scores[[row for row in excluded if row < len(scores)]] = -np.inf
    answers = [(model.words[row], float(scores[row])) for row in _top(scores, topn)]
    return AnalogyAnswer(a, b, c, method, [x for x in answers if np.isfinite(x[1])], list(resolved))


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    n = min(n, len(scores))
    best = np.argpartition(-scores, n - 1)[:n]
    return best[np.argsort(-scores[best], kind="stable")]


def similarity(model: WordVectors, first: str, second: str, *, partial: bool = False) -> float:
    """Cosine similarity of two words or texts (tokenized if not in the vocabulary).

    As :func:`similarity_resolved`, which also says how they were tokenized.
    """
    return similarity_resolved(model, first, second, partial=partial).cosine


def similarity_resolved(
    model: WordVectors, first: str, second: str, *, partial: bool = False
) -> Similarity:
    """Cosine similarity of two words or texts (tokenized if not in the vocabulary).

    Raises:
        UnknownWordError: either (or, without ``partial``, one of their tokens)
            has no vector.
    """
    u, first_resolved = _query_unit(model, first, partial)
    v, second_resolved = _query_unit(model, second, partial)
    return Similarity(first, second, float(u @ v), [first_resolved, second_resolved])


def doesnt_match(model: WordVectors, words: Sequence[str], *, partial: bool = False) -> str:
    """Which word does not go with the others? (as gensim's ``doesnt_match``)

    As :func:`doesnt_match_resolved`, which also gives every word's cosine;
    the words left out for having no vector are logged as a warning.
    """
    result = doesnt_match_resolved(model, words, partial=partial)
    if result.left_out:
        log.warning("left out, with no vector: %s", ", ".join(result.left_out))
    return result.odd


def doesnt_match_resolved(
    model: WordVectors, words: Sequence[str], *, partial: bool = False
) -> OddOneOut:
    """Which word does not go with the others?

    The mean of the words' unit vectors stands for the group; the word with
    the lowest cosine to it is the odd one. Words with no vector (or, without
    ``partial``, a token with none) are left out and listed in ``left_out``, as
    gensim's ``doesnt_match`` ignores them.

    Raises:
        BadInputError: fewer than two words, or fewer than two with vectors.
    """
    if len(words) < 2:
        raise BadInputError(f"doesnt-match needs at least 2 words, got {len(words)}")
    known, vectors, resolved, unknown = [], [], [], []
    for word in words:
        try:
            vector, query = _query_unit(model, word, partial)
        except UnknownWordError as error:
            unknown.append(error)
            continue
        known.append(word)
        vectors.append(vector)
        resolved.append(query)
    if len(known) < 2:
        said = "; ".join(str(error) for error in unknown)
        raise BadInputError(
            f"doesnt-match needs at least 2 words with vectors, got {len(known)}: {said}",
            parameters=tuple({name for error in unknown for name in error.parameters}),
        )
    matrix = np.vstack(vectors)
    mean = _unit(matrix.mean(axis=0))
    cosines = sorted(zip(known, (matrix @ mean).tolist()), key=lambda x: x[1])
    return OddOneOut(cosines[0][0], cosines, resolved, [error.word for error in unknown])


def top_words(model: WordVectors, top: int = 20) -> list[WordCount]:
    """The ``top`` most frequent words with their corpus counts.

    Models without counts (imported vector files) list their first ``n``
    rows with ``count=None``: such files are usually, not always, sorted by
    frequency.
    """
    check_topn(top, "top")
    if model.counts is None:
        rows = range(min(top, len(model)))
        return [WordCount(i + 1, model.words[row], None) for i, row in enumerate(rows)]
    rows = np.argsort(-np.asarray(model.counts), kind="stable")[:top]
    return [
        WordCount(i + 1, model.words[row], int(model.counts[row])) for i, row in enumerate(rows)
    ]
