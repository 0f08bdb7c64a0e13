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

Each of these methods is the function of the same name in
:mod:`koembed.models.queries` or :mod:`koembed.models.benchmarks` (also
exported by ``koembed``), the model being its first argument. The queries
answer as gensim's do; the benchmarks return koembed's dataclasses, which
carry the coverage a bare score would hide. Queries that also say how their
words were tokenized have ``_resolved`` forms (``most_similar_resolved``,
``similarity_resolved``...).
"""

from __future__ import annotations

from koembed.models import benchmarks, queries
from koembed.models.vectors import WordVectors


class Embeddings(WordVectors):
    """A vocabulary, its vectors, and metadata about how they were made, with
    every question asked of them as a method (see the module docstring).

    Constructed as :class:`~koembed.models.vectors.WordVectors`:
    ``Embeddings(words, vectors, counts=None, meta=None, arrays=None)``.
    """

    # The module functions themselves, so a method and its function are one
    # and the same: same arguments, same answer, same type.
    similarity = queries.similarity
    similarity_resolved = queries.similarity_resolved
    doesnt_match = queries.doesnt_match
    doesnt_match_resolved = queries.doesnt_match_resolved
    analogy = queries.analogy
    analogy_resolved = queries.analogy_resolved
    evaluate_word_pairs = benchmarks.evaluate_word_pairs
    evaluate_word_analogies = benchmarks.evaluate_word_analogies
