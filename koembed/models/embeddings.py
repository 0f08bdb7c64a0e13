"""Embeddings: word vectors with every question asked of them as a method.

The type every word trainer returns and ``koembed.load`` gives; a gensim user
finds ``KeyedVectors``' API on it::

    model["희망"], model[["희망", "절망"]], model.get_vector("희망", norm=True)
    "희망" in model, len(model), model.key_to_index, model.index_to_key, model.vector_size
    model.most_similar("희망", topn=10)            -> [(word, cosine), ...]
    model.similarity("영화", "드라마")              -> float
    model.doesnt_match(["사과", "배", "자동차"])    -> str
    model.analogy("남자", "왕", "여자")             -> [(word, score), ...]
    model.evaluate_word_pairs("kor_ws353.csv")     -> WordPairsResult
    model.evaluate_word_analogies("kor_analogy.txt") -> AnalogyResult

Each method returns what the function of the same name in
:mod:`koembed.models.queries` or :mod:`koembed.models.benchmarks` (and
``koembed``) returns. The queries answer as gensim's do; the benchmarks return
koembed's dataclasses, which carry the coverage a bare score would hide.
Queries that also say how their words were tokenized have ``_resolved``
forms (``most_similar_resolved`` here, ``similarity_resolved``...
in :mod:`koembed.models.queries`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from koembed.models import benchmarks, queries
from koembed.models.benchmarks import AnalogyResult, WordPairsResult
from koembed.models.vectors import WordVectors
from koembed.progress import ProgressCallback
from koembed.text.testsets import AnalogyItem, WordPair


class Embeddings(WordVectors):
    """A vocabulary, its vectors, and metadata about how they were made, with
    every question asked of them as a method (see the module docstring).

    Constructed as :class:`~koembed.models.vectors.WordVectors`:
    ``Embeddings(words, vectors, counts=None, meta=None, arrays=None)``.
    """

    def similarity(self, first: str, second: str) -> float:
        """Cosine similarity of two words or texts (:func:`koembed.models.queries.similarity`)."""
        return queries.similarity(self, first, second)

    def doesnt_match(self, words: Sequence[str]) -> str:
        """The word least like the others (:func:`koembed.models.queries.doesnt_match`)."""
        return queries.doesnt_match(self, words)

    def analogy(
        self,
        a: str,
        b: str,
        c: str,
        *,
        method: str = "3cosadd",
        topn: int = 10,
        restrict_vocab: int | None = None,
    ) -> list[tuple[str, float]]:
        """``a`` is to ``b`` as ``c`` is to what? (:func:`koembed.models.queries.analogy`)"""
        return queries.analogy(
            self, a, b, c, method=method, topn=topn, restrict_vocab=restrict_vocab
        )

    def evaluate_word_pairs(
        self,
        pairs: str | os.PathLike | Sequence[WordPair],
        *,
        tokenize: bool = False,
        restrict_vocab: int | None = None,
    ) -> WordPairsResult:
        """Correlation with human similarity scores, with coverage
        (:func:`koembed.models.benchmarks.evaluate_word_pairs`)."""
        return benchmarks.evaluate_word_pairs(
            self, pairs, tokenize=tokenize, restrict_vocab=restrict_vocab
        )

    def evaluate_word_analogies(
        self,
        items: str | os.PathLike | Sequence[AnalogyItem],
        *,
        method: str = "3cosadd",
        topk: int = 1,
        tokenize: bool = False,
        restrict_vocab: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> AnalogyResult:
        """Analogy accuracy per section, with coverage
        (:func:`koembed.models.benchmarks.evaluate_word_analogies`)."""
        return benchmarks.evaluate_word_analogies(
            self,
            items,
            method=method,
            topk=topk,
            tokenize=tokenize,
            restrict_vocab=restrict_vocab,
            progress=progress,
        )
