"""Scoring word vectors on the benchmarks: WS-353 correlation and analogy accuracy.

Coverage is part of every score. A test word with no vector is counted and
listed, never scored as 0 and never dropped silently. With ``tokenize=True``
a test word missing from the vocabulary is looked up through the model's own
tokenizer (``자동차를`` -> ``자동차 / 를``) and stands for the mean of its
token vectors, provided every token has one; coverage is then reported both
ways.

Both functions bear gensim's names and are also
:class:`~koembed.models.embeddings.Embeddings` methods returning the same
dataclasses (``model.evaluate_word_pairs(path)``), not gensim's tuples: a
score without its coverage would mislead.
"""

from __future__ import annotations

import dataclasses
import math
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from koembed.errors import BadInputError
from koembed.models.queries import Result, analogy_scores, candidate_vectors, check_analogy_method
from koembed.models.vectors import WordVectors
from koembed.progress import ProgressCallback, report
from koembed.text.testsets import (
    AnalogyItem,
    WordPair,
    read_analogies,
    read_word_pairs,
    section_kind,
)

# Score matrices of one analogy batch stay under this many floats (16 MB).
_BATCH_CELLS = 4_000_000


class _Lookup:
    """Test words -> rows of a candidate matrix.

    Vocabulary words are their own rows. A word outside the vocabulary that
    the model still has a vector for (a subword model's n-grams), and with
    ``tokenize`` a word whose tokens all have vectors, gets a new row after
    the vocabulary: its unit vector, or the normalized mean of its tokens'.
    Every word is looked up as the query commands look it up
    (:meth:`WordVectors.has_vector`).
    """

    def __init__(self, model: WordVectors, tokenize: bool, restrict_vocab: int | None):
        self.model = model
        self.tokenize = tokenize
        self.limit = len(candidate_vectors(model, restrict_vocab))
        self.composed: dict[tuple[str, ...], int] = {}
        self.subword: set[str] = set()  # test words answered from character n-grams
        self._rows: dict[str, int | None] = {}

    def in_vocab(self, word: str) -> bool:
        row = self.model.index.get(word)
        return row is not None and row < self.limit

    def _has_vector(self, token: str) -> bool:
        return self.in_vocab(token) or (
            token not in self.model.index and self.model.has_vector(token)
        )

    def __call__(self, word: str) -> int | None:
        if word not in self._rows:
            self._rows[word] = self._find(word)
        return self._rows[word]

    def _find(self, word: str) -> int | None:
        if self.in_vocab(word):
            return self.model.index[word]
        if self._has_vector(word):
            self.subword.add(word)
            return self._compose((word,))
        if not self.tokenize:
            return None
        tokens = tuple(self.model.pipeline()(word))
        if not tokens or not all(self._has_vector(t) for t in tokens):
            return None
        if any(t not in self.model.index for t in tokens):
            self.subword.add(word)
        if len(tokens) == 1 and self.in_vocab(tokens[0]):
            return self.model.index[tokens[0]]
        return self._compose(tokens)

    def _compose(self, tokens: tuple[str, ...]) -> int:
        return self.limit + self.composed.setdefault(tokens, len(self.composed))

    def matrix(self) -> np.ndarray:
        """Unit vectors of the vocabulary, then of the composed words."""
        vocab = self.model.unit_vectors[: self.limit]
        if not self.composed:
            return vocab
        extra = np.vstack(
            [
                np.mean([self.model.unit_vector(token) for token in tokens], axis=0)
                for tokens in self.composed
            ]
        )
        norms = np.linalg.norm(extra, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.vstack([vocab, (extra / norms).astype(np.float32)])


def _unique(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(words))


@dataclass
class WordPairsResult(Result):
    """Correlation of the model's cosines with human scores, over pairs found.

    ``spearman``/``pearson`` are ``None`` with fewer than 3 pairs found.
    ``found_vocab`` counts pairs whose words are both vocabulary entries; with
    ``tokenized`` it differs from ``found``.
    """

    path: str
    spearman: float | None
    pearson: float | None
    found: int
    total: int
    found_vocab: int
    tokenized: bool
    oov_words: list[str]
    oov_pairs: list[tuple[str, str]]
    #: pairs found with a word whose vector comes from character n-grams (fastText)
    found_subword: int = 0

    @property
    def coverage(self) -> float:
        return self.found / self.total if self.total else 0.0


def evaluate_word_pairs(
    model: WordVectors,
    pairs: str | os.PathLike | Sequence[WordPair],
    *,
    tokenize: bool = False,
    restrict_vocab: int | None = None,
) -> WordPairsResult:
    """Spearman and Pearson correlation with human similarity scores (WS-353).

    Args:
        pairs: a file (see :func:`read_word_pairs`) or pairs already read.
        tokenize: look missing words up through the model's tokenizer.
        restrict_vocab: use only the first (most frequent) N words.
    """
    from scipy import stats  # heavy; only the benchmark needs it

    path = ""
    if isinstance(pairs, (str, os.PathLike)):
        path, pairs = str(pairs), read_word_pairs(pairs)
    lookup = _Lookup(model, tokenize, restrict_vocab)
    rows = [(lookup(p.first), lookup(p.second)) for p in pairs]
    matrix = lookup.matrix()
    human, cosine, oov_pairs = [], [], []
    for pair, (i, j) in zip(pairs, rows):
        if i is None or j is None:
            oov_pairs.append((pair.first, pair.second))
            continue
        human.append(pair.score)
        cosine.append(float(matrix[i] @ matrix[j]))
    spearman = pearson = None
    if len(human) >= 3:
        spearman = _finite(stats.spearmanr(human, cosine)[0])
        pearson = _finite(stats.pearsonr(human, cosine)[0])
    oov = [w for w in _unique(w for p in pairs for w in (p.first, p.second)) if lookup(w) is None]
    found_vocab = sum(lookup.in_vocab(p.first) and lookup.in_vocab(p.second) for p in pairs)
    found_subword = sum(
        p.first in lookup.subword or p.second in lookup.subword
        for p, (i, j) in zip(pairs, rows)
        if i is not None and j is not None
    )
    return WordPairsResult(
        path=path,
        spearman=spearman,
        pearson=pearson,
        found=len(human),
        total=len(pairs),
        found_vocab=found_vocab,
        tokenized=tokenize,
        oov_words=oov,
        oov_pairs=oov_pairs,
        found_subword=found_subword,
    )


def _finite(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


@dataclass
class SectionScore(Result):
    """Accuracy of one section (or a group of sections) over the items found.

    ``correct`` counts top-1 answers, ``hits`` answers among the top ``k``
    (equal to ``correct`` when k is 1). ``found`` items had all four words;
    ``found_vocab`` had all four as vocabulary entries; ``found_subword``
    had a word whose vector comes from character n-grams (fastText).
    """

    name: str
    kind: str
    correct: int = 0
    hits: int = 0
    found: int = 0
    total: int = 0
    found_vocab: int = 0
    found_subword: int = 0
    #: sum over the items found of 1 - cos(b - a + c, d), the 3CosAdd vector's
    #: cosine distance to the answer (see :attr:`mean_distance`)
    distance_sum: float = 0.0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.found if self.found else None

    @property
    def mean_distance(self) -> float | None:
        """The mean cosine distance between b - a + c and d (unit vectors), lower
        is better: the figure Park et al. (2018), who made the Korean analogy set,
        report for it, as we read them; unlike top-1 accuracy it does not depend
        on which other words are candidates."""
        return self.distance_sum / self.found if self.found else None

    @property
    def hits_at_k(self) -> float | None:
        return self.hits / self.found if self.found else None

    @property
    def coverage(self) -> float:
        return self.found / self.total if self.total else 0.0

    def add(self, other: SectionScore) -> None:
        for name in (
            "correct",
            "hits",
            "found",
            "total",
            "found_vocab",
            "found_subword",
            "distance_sum",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_dict(self) -> dict:
        return {
            **dataclasses.asdict(self),
            "accuracy": self.accuracy,
            "mean_distance": self.mean_distance,
            "hits_at_k": self.hits_at_k,
            "coverage": self.coverage,
        }


@dataclass
class AnalogyResult(Result):
    """Analogy accuracy overall, per section and per kind (semantic/syntactic)."""

    path: str
    method: str
    topk: int
    tokenized: bool
    candidates: int  # vocabulary rows searched
    composed: int  # tokenized test words added as candidates (tokenize only)
    overall: SectionScore
    semantic: SectionScore
    syntactic: SectionScore
    sections: list[SectionScore]
    oov_words: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = {
            name: getattr(self, name)
            for name in ("path", "method", "topk", "tokenized", "candidates", "composed")
        }
        for name in ("overall", "semantic", "syntactic"):
            data[name] = getattr(self, name).to_dict()
        data["sections"] = [s.to_dict() for s in self.sections]
        data["oov_words"] = list(self.oov_words)
        return data


def evaluate_word_analogies(
    model: WordVectors,
    items: str | os.PathLike | Sequence[AnalogyItem],
    *,
    method: str = "3cosadd",
    topk: int = 1,
    tokenize: bool = False,
    restrict_vocab: int | None = None,
    progress: ProgressCallback | None = None,
) -> AnalogyResult:
    """Analogy accuracy: is ``d`` the best answer to ``a : b :: c : ?``

    The three question words are excluded from the answers. Items with a word
    that has no vector are counted per section as not found (and the words
    listed), not scored. Items are scored in batches with matrix products.

    With ``tokenize``, test words that are not vocabulary entries but whose
    tokens all are join the candidates as the mean of their token vectors, so
    ``인터넷을`` can be the answer of a model trained on morphemes.

    Args:
        items: a file (see :func:`read_analogies`) or items already read.
        method: ``"3cosadd"`` or ``"3cosmul"``.
        topk: also count hits among the best ``topk`` answers.
        tokenize: look missing words up through the model's tokenizer.
        restrict_vocab: search only the first (most frequent) N words.
        progress: called with the number of items scored.
    """
    check_analogy_method(method)
    if topk < 1:
        raise BadInputError(f"topk must be 1 or more, got {topk}", parameters=("topk",))
    path = ""
    if isinstance(items, (str, os.PathLike)):
        path, items = str(items), read_analogies(items)
    lookup = _Lookup(model, tokenize, restrict_vocab)
    found_rows = np.full((len(items), 4), -1, dtype=np.int64)
    for i, item in enumerate(items):
        rows = [lookup(w) for w in (item.a, item.b, item.c, item.d)]
        if all(row is not None for row in rows):
            found_rows[i] = rows
    found = np.flatnonzero((found_rows >= 0).all(axis=1))
    matrix = lookup.matrix()
    correct = np.zeros(len(items), dtype=bool)
    hits = np.zeros(len(items), dtype=bool)
    distance = np.zeros(len(items))
    batch = max(1, _BATCH_CELLS // max(1, len(matrix)))
    for start in range(0, len(found), batch):
        chosen = found[start : start + batch]
        rows = found_rows[chosen]
        scores = analogy_scores(matrix, *(matrix[rows[:, j]] for j in range(3)), method)
        within = np.arange(len(chosen))
        for j in range(3):
            scores[within, rows[:, j]] = -np.inf
        correct[chosen] = scores.argmax(axis=1) == rows[:, 3]
        target = matrix[rows[:, 1]] - matrix[rows[:, 0]] + matrix[rows[:, 2]]
        norms = np.linalg.norm(target, axis=1)
        cosines = np.einsum("ij,ij->i", target, matrix[rows[:, 3]]) / np.where(norms, norms, 1)
        distance[chosen] = 1.0 - cosines
        if topk > 1:
            k = min(topk, scores.shape[1])
            best = np.argpartition(-scores, k - 1, axis=1)[:, :k]
            hits[chosen] = (best == rows[:, 3:4]).any(axis=1)
        report(progress, "analogies", start + len(chosen), len(found), "items")
    if topk == 1:
        hits = correct
    sections: dict[str, SectionScore] = {}
    for i, item in enumerate(items):
        kind = section_kind(item.section)
        score = sections.setdefault(item.section, SectionScore(item.section, kind))
        score.total += 1
        score.found_vocab += all(lookup.in_vocab(w) for w in (item.a, item.b, item.c, item.d))
        if found_rows[i, 0] >= 0:
            score.found += 1
            score.found_subword += any(
                w in lookup.subword for w in (item.a, item.b, item.c, item.d)
            )
            score.correct += bool(correct[i])
            score.hits += bool(hits[i])
            score.distance_sum += float(distance[i])
    groups = {kind: SectionScore(kind, kind) for kind in ("overall", "semantic", "syntactic")}
    for score in sections.values():
        groups["overall"].add(score)
        if score.kind in groups:
            groups[score.kind].add(score)
    words = _unique(w for item in items for w in (item.a, item.b, item.c, item.d))
    return AnalogyResult(
        path=path,
        method=method,
        topk=topk,
        tokenized=tokenize,
        candidates=lookup.limit,
        composed=len(lookup.composed),
        overall=groups["overall"],
        semantic=groups["semantic"],
        syntactic=groups["syntactic"],
        sections=list(sections.values()),
        oov_words=[w for w in words if lookup(w) is None],
    )
