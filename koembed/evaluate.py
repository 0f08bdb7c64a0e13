"""Questions asked of word vectors, and the Korean benchmarks, as data.

Queries: :func:`analogy` (3CosAdd or 3CosMul, Levy & Goldberg 2014),
:func:`similarity`, :func:`doesnt_match`, :func:`top_words`. Benchmarks:
:func:`evaluate_word_pairs` (WS-353: Spearman and Pearson) and
:func:`evaluate_analogies` (accuracy overall, per section, semantic and
syntactic), gathered by :func:`evaluate_model`. Nothing here prints: every
function returns a dataclass the CLI formats (``to_dict()`` for JSON).

Coverage is part of every score. A test word with no vector is counted and
listed, never scored as 0 and never dropped silently. With ``tokenize=True``
a test word missing from the vocabulary is looked up through the model's own
tokenizer (``자동차를`` -> ``자동차 / 를``) and stands for the mean of its
token vectors, provided every token has one; coverage is then reported both
ways.
"""

from __future__ import annotations

import csv
import dataclasses
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from koembed.embeddings import Embeddings, ResolvedQuery
from koembed.errors import BadInputError, UnknownNameError
from koembed.progress import ProgressCallback, report

#: Added to the denominator of 3CosMul, as in Levy & Goldberg (2014).
COSMUL_EPSILON = 1e-3
ANALOGY_METHODS = ("3cosadd", "3cosmul")
# Score matrices of one analogy batch stay under this many floats (16 MB).
_BATCH_CELLS = 4_000_000


class _Result:
    def to_dict(self) -> dict:
        return dataclasses.asdict(self)  # type: ignore[call-overload]


# -- queries -----------------------------------------------------------------


@dataclass
class AnalogyAnswer(_Result):
    """``a`` is to ``b`` as ``c`` is to each of ``answers`` (best first)."""

    a: str
    b: str
    c: str
    method: str
    answers: list[tuple[str, float]]
    resolved: list[ResolvedQuery]


@dataclass
class Similarity(_Result):
    first: str
    second: str
    cosine: float
    resolved: list[ResolvedQuery]


@dataclass
class OddOneOut(_Result):
    """The word least like the others: lowest cosine to the mean of all."""

    odd: str
    cosines: list[tuple[str, float]]  # each word's cosine to the mean, lowest first
    resolved: list[ResolvedQuery]


@dataclass
class WordCount(_Result):
    rank: int
    word: str
    count: int | None


def _check_method(method: str) -> None:
    if method not in ANALOGY_METHODS:
        raise UnknownNameError("analogy method", method, ANALOGY_METHODS)


def _unit(vector: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm else vector


def _query_unit(model: Embeddings, text: str) -> tuple[np.ndarray, ResolvedQuery]:
    vector, (resolved,) = model.query_vector([text])
    return _unit(vector).astype(np.float32, copy=False), resolved


def _candidates(model: Embeddings, restrict_vocab: int | None) -> np.ndarray:
    if restrict_vocab is not None and restrict_vocab < 1:
        raise BadInputError(f"--restrict-vocab must be 1 or more, got {restrict_vocab}")
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
    _check_method(method)
    if method == "3cosadd":
        # Linear in the three terms, so one product does: d . (b - a + c).
        return (b - a + c) @ candidates.T
    shifted = [(1.0 + x @ candidates.T) / 2.0 for x in (a, b, c)]
    return shifted[1] * shifted[2] / (shifted[0] + COSMUL_EPSILON)


def analogy(
    model: Embeddings,
    a: str,
    b: str,
    c: str,
    *,
    method: str = "3cosadd",
    topn: int = 10,
    restrict_vocab: int | None = None,
) -> AnalogyAnswer:
    """``a`` is to ``b`` as ``c`` is to what? (남자 : 왕 :: 여자 : 여왕)

    Each word goes through the model's tokenizer if it is not in the
    vocabulary; the tokens of the three question words are never answers.

    Args:
        method: ``"3cosadd"`` or ``"3cosmul"`` (see :func:`analogy_scores`).
        topn: how many answers.
        restrict_vocab: search only the first (most frequent) N words.

    Raises:
        UnknownWordError: a question word has no vector.
        UnknownNameError: an unknown method.
    """
    _check_method(method)
    if topn < 1:
        raise BadInputError(f"--topn must be 1 or more, got {topn}")
    candidates = _candidates(model, restrict_vocab)
    vectors, resolved = zip(*(_query_unit(model, word) for word in (a, b, c)))
    scores = analogy_scores(candidates, *(v[None, :] for v in vectors), method)[0]
    excluded = {model.index[t] for query in resolved for t in query.found}
    scores[[row for row in excluded if row < len(scores)]] = -np.inf
    answers = [(model.words[row], float(scores[row])) for row in _top(scores, topn)]
    return AnalogyAnswer(a, b, c, method, [x for x in answers if np.isfinite(x[1])], list(resolved))


def _top(scores: np.ndarray, n: int) -> np.ndarray:
    n = min(n, len(scores))
    best = np.argpartition(-scores, n - 1)[:n]
    return best[np.argsort(-scores[best], kind="stable")]


def similarity(model: Embeddings, first: str, second: str) -> Similarity:
    """Cosine similarity of two words or texts (tokenized if not in the vocabulary).

    Raises:
        UnknownWordError: either has no vector.
    """
    u, first_resolved = _query_unit(model, first)
    v, second_resolved = _query_unit(model, second)
    return Similarity(first, second, float(u @ v), [first_resolved, second_resolved])


def doesnt_match(model: Embeddings, words: Sequence[str]) -> OddOneOut:
    """Which word does not go with the others?

    The mean of the words' unit vectors stands for the group; the word with
    the lowest cosine to it is the odd one (as gensim's ``doesnt_match``).

    Raises:
        BadInputError: fewer than two words.
        UnknownWordError: a word has no vector (it is not silently ignored).
    """
    if len(words) < 2:
        raise BadInputError(f"doesnt-match needs at least 2 words, got {len(words)}")
    vectors, resolved = zip(*(_query_unit(model, word) for word in words))
    matrix = np.vstack(vectors)
    mean = _unit(matrix.mean(axis=0))
    cosines = sorted(zip(words, (matrix @ mean).tolist()), key=lambda x: x[1])
    return OddOneOut(cosines[0][0], cosines, list(resolved))


def top_words(model: Embeddings, n: int = 20) -> list[WordCount]:
    """The ``n`` most frequent words with their corpus counts.

    Models without counts (imported vector files) list their first ``n``
    rows with ``count=None``: such files are usually, not always, sorted by
    frequency.
    """
    if n < 1:
        raise BadInputError(f"--top must be 1 or more, got {n}")
    if model.counts is None:
        rows = range(min(n, len(model)))
        return [WordCount(i + 1, model.words[row], None) for i, row in enumerate(rows)]
    rows = np.argsort(-np.asarray(model.counts), kind="stable")[:n]
    return [
        WordCount(i + 1, model.words[row], int(model.counts[row])) for i, row in enumerate(rows)
    ]


# -- reading the test sets -----------------------------------------------------


@dataclass(frozen=True)
class WordPair:
    first: str
    second: str
    score: float
    line: int


@dataclass(frozen=True)
class AnalogyItem:
    section: str
    a: str
    b: str
    c: str
    d: str
    line: int


def read_word_pairs(path: str | os.PathLike) -> list[WordPair]:
    """Read a word-similarity file: ``word1,word2,score`` per line.

    Comma- or tab-separated; a UTF-8 byte-order mark, a header line (its score
    is not a number) and ``#`` comment lines are skipped, as WS-353 files come
    in all these forms.

    Raises:
        BadInputError: a line without two words and a numeric score.
    """
    path = Path(path)
    text = _read_text(path)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    delimiter = "\t" if "\t" in first else ","
    pairs = []
    header_seen = False
    rows = csv.reader(lines, delimiter=delimiter)
    for lineno, row in enumerate(_csv_rows(rows, path), start=1):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if len(row) < 3:
            raise BadInputError(
                f"{path}:{lineno}: expected word1{delimiter}word2{delimiter}score, got {row!r}"
            )
        try:
            score = float(row[2])
        except ValueError:
            if not pairs and not header_seen:
                header_seen = True
                continue
            raise BadInputError(f"{path}:{lineno}: score {row[2]!r} is not a number") from None
        pairs.append(WordPair(row[0].strip(), row[1].strip(), score, lineno))
    if not pairs:
        raise BadInputError(f"{path} has no word pairs; expected lines like 호랑이,고양이,7.35")
    return pairs


def _csv_rows(rows: Iterator[list[str]], path: Path) -> Iterator[list[str]]:
    """``rows`` with the csv module's own errors (a NUL byte before Python
    3.11, a field over its size limit) as one-line errors."""
    lineno = 0
    try:
        for lineno, row in enumerate(rows, start=1):  # noqa: B007 - read after the loop
            yield row
    except csv.Error as error:
        raise BadInputError(f"{path}:{lineno + 1}: {error}") from None


def read_analogies(path: str | os.PathLike) -> list[AnalogyItem]:
    """Read an analogy file: ``a b c d`` per line, in sections.

    A section starts with ``: name`` (word2vec's format) or ``# name`` (as
    older copies of the Korean set have it).

    Raises:
        BadInputError: a line that is not four words.
    """
    path = Path(path)
    items = []
    section = "(no section)"
    for lineno, line in enumerate(_read_text(path).splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line[0] in ":#":
            section = line[1:].strip() or section
            continue
        words = line.split()
        if len(words) != 4:
            raise BadInputError(
                f"{path}:{lineno}: expected four words 'a b c d' or a ': section' header, "
                f"got {line!r}"
            )
        items.append(AnalogyItem(section, *words, line=lineno))
    if not items:
        raise BadInputError(f"{path} has no analogy items; expected lines like '왕 여왕 남자 여자'")
    return items


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise BadInputError(f"no test file at {path}")
    try:
        # utf-8-sig drops the byte-order mark the published Korean files start with.
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise BadInputError(f"{path} is not UTF-8 text") from None


def section_kind(name: str) -> str:
    """``"semantic"`` for sem* sections, ``"syntactic"`` for syn*/gram*, else ``"other"``."""
    lowered = name.lower()
    if lowered.startswith("sem"):
        return "semantic"
    if lowered.startswith(("syn", "gram")):
        return "syntactic"
    return "other"


# -- looking test words up ---------------------------------------------------------


class _Lookup:
    """Test words -> rows of a candidate matrix.

    Vocabulary words are their own rows. With ``tokenize``, another word whose
    tokens all have vectors is one token's row, or a new row (the normalized
    mean of its tokens' unit vectors) appended after the vocabulary.
    """

    def __init__(self, model: Embeddings, tokenize: bool, restrict_vocab: int | None):
        self.model = model
        self.tokenize = tokenize
        self.limit = len(_candidates(model, restrict_vocab))
        self.composed: dict[tuple[int, ...], int] = {}
        self._rows: dict[str, int | None] = {}

    def in_vocab(self, word: str) -> bool:
        row = self.model.index.get(word)
        return row is not None and row < self.limit

    def __call__(self, word: str) -> int | None:
        if word not in self._rows:
            self._rows[word] = self._find(word)
        return self._rows[word]

    def _find(self, word: str) -> int | None:
        if self.in_vocab(word):
            return self.model.index[word]
        if not self.tokenize:
            return None
        tokens = self.model.pipeline()(word)
        if not tokens or not all(self.in_vocab(t) for t in tokens):
            return None
        rows = tuple(self.model.index[t] for t in tokens)
        if len(rows) == 1:
            return rows[0]
        return self.limit + self.composed.setdefault(rows, len(self.composed))

    def matrix(self) -> np.ndarray:
        """Unit vectors of the vocabulary, then of the composed words."""
        vocab = self.model.unit_vectors[: self.limit]
        if not self.composed:
            return vocab
        extra = np.vstack([vocab[list(rows)].mean(axis=0) for rows in self.composed])
        norms = np.linalg.norm(extra, axis=1, keepdims=True)
        norms[norms == 0] = 1.0
        return np.vstack([vocab, (extra / norms).astype(np.float32)])


def _unique(words: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(words))


# -- word similarity -----------------------------------------------------------


@dataclass
class WordPairsResult(_Result):
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

    @property
    def coverage(self) -> float:
        return self.found / self.total if self.total else 0.0


def evaluate_word_pairs(
    model: Embeddings,
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
    )


def _finite(value: float) -> float | None:
    value = float(value)
    return value if math.isfinite(value) else None


# -- analogies -------------------------------------------------------------------


@dataclass
class SectionScore(_Result):
    """Accuracy of one section (or a group of sections) over the items found.

    ``correct`` counts top-1 answers, ``hits`` answers among the top ``k``
    (equal to ``correct`` when k is 1). ``found`` items had all four words;
    ``found_vocab`` had all four as vocabulary entries.
    """

    name: str
    kind: str
    correct: int = 0
    hits: int = 0
    found: int = 0
    total: int = 0
    found_vocab: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.found if self.found else None

    @property
    def hits_at_k(self) -> float | None:
        return self.hits / self.found if self.found else None

    @property
    def coverage(self) -> float:
        return self.found / self.total if self.total else 0.0

    def add(self, other: SectionScore) -> None:
        for name in ("correct", "hits", "found", "total", "found_vocab"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def to_dict(self) -> dict:
        return {
            **dataclasses.asdict(self),
            "accuracy": self.accuracy,
            "hits_at_k": self.hits_at_k,
            "coverage": self.coverage,
        }


@dataclass
class AnalogyResult(_Result):
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


def evaluate_analogies(
    model: Embeddings,
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
    _check_method(method)
    if topk < 1:
        raise BadInputError(f"--topk must be 1 or more, got {topk}")
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
    batch = max(1, _BATCH_CELLS // max(1, len(matrix)))
    for start in range(0, len(found), batch):
        chosen = found[start : start + batch]
        rows = found_rows[chosen]
        scores = analogy_scores(matrix, *(matrix[rows[:, j]] for j in range(3)), method)
        within = np.arange(len(chosen))
        for j in range(3):
            scores[within, rows[:, j]] = -np.inf
        correct[chosen] = scores.argmax(axis=1) == rows[:, 3]
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
            score.correct += bool(correct[i])
            score.hits += bool(hits[i])
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


# -- both benchmarks, one model --------------------------------------------------


@dataclass
class ModelEvaluation(_Result):
    """What ``koembed evaluate`` reports for one model."""

    model: str
    vocab_size: int
    word_pairs: WordPairsResult | None
    analogies: AnalogyResult | None

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "vocab_size": self.vocab_size,
            "word_pairs": self.word_pairs.to_dict() if self.word_pairs else None,
            "analogies": self.analogies.to_dict() if self.analogies else None,
        }


def evaluate_model(
    model: Embeddings,
    *,
    name: str = "",
    ws353: str | os.PathLike | None = None,
    analogy: str | os.PathLike | None = None,
    method: str = "3cosadd",
    topk: int = 1,
    tokenize: bool = False,
    restrict_vocab: int | None = None,
    progress: ProgressCallback | None = None,
) -> ModelEvaluation:
    """Run the word-similarity and/or analogy benchmark on one model.

    Raises:
        BadInputError: neither test file given, or a test file is malformed.
    """
    if ws353 is None and analogy is None:
        raise BadInputError("nothing to evaluate: give a word-pair file, an analogy file or both")
    _check_method(method)
    if topk < 1:
        raise BadInputError(f"--topk must be 1 or more, got {topk}")
    # Both files are read before any scoring, so a bad line fails fast.
    pair_list = read_word_pairs(ws353) if ws353 is not None else None
    item_list = read_analogies(analogy) if analogy is not None else None
    pairs = analogies = None
    if pair_list is not None:
        pairs = evaluate_word_pairs(
            model, pair_list, tokenize=tokenize, restrict_vocab=restrict_vocab
        )
        pairs.path = str(ws353)
    if item_list is not None:
        analogies = evaluate_analogies(
            model,
            item_list,
            method=method,
            topk=topk,
            tokenize=tokenize,
            restrict_vocab=restrict_vocab,
            progress=progress,
        )
        analogies.path = str(analogy)
    return ModelEvaluation(name, len(model), pairs, analogies)
