"""Each question the server answers, as the JSON-ready dict it sends.

The same library calls as the CLI's query commands, so a query is tokenized
with the model's own tokenizer exactly as ``koembed similar`` does it. Nothing
here knows of HTTP: errors are the library's (an unknown word, a bad value),
which the app turns into 4xx answers.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

import numpy as np

from koembed.evaluate import analogy_resolved, doesnt_match_resolved, similarity_resolved
from koembed.evaluate.plot import project
from koembed.models import DocumentModel, Embeddings, ResolvedQuery, UnknownWordError
from koembed.serve.catalog import ServedModel

# Scores are sent with this many decimals: enough to rank, short on the wire.
_DECIMALS = 6


def _ranked(rows: Sequence[tuple[str, float]]) -> list[dict[str, Any]]:
    return [{"word": word, "score": round(score, _DECIMALS)} for word, score in rows]


def _resolved(queries: Sequence[ResolvedQuery]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(query) for query in queries]


def similar(
    served: ServedModel,
    positive: Sequence[str],
    negative: Sequence[str],
    topn: int,
    restrict_vocab: int | None,
    partial: bool,
    exact: bool = False,
) -> dict[str, Any]:
    """Nearest words to the mean of ``positive`` minus ``negative``."""
    neighbours, resolved = served.words().most_similar_resolved(
        list(positive),
        list(negative),
        topn=topn,
        restrict_vocab=restrict_vocab,
        partial=partial,
        exact=exact,
    )
    return {
        "model": served.name,
        "positive": list(positive),
        "negative": list(negative),
        "resolved": _resolved(resolved),
        "neighbours": _ranked(neighbours),
    }


def analogy(
    served: ServedModel,
    a: str,
    b: str,
    c: str,
    method: str,
    topn: int,
    restrict_vocab: int | None,
    partial: bool,
    exact: bool = False,
) -> dict[str, Any]:
    """``a`` is to ``b`` as ``c`` is to what?"""
    result = analogy_resolved(
        served.words(),
        a,
        b,
        c,
        method=method,
        topn=topn,
        restrict_vocab=restrict_vocab,
        partial=partial,
        exact=exact,
    )
    return {
        "model": served.name,
        "a": a,
        "b": b,
        "c": c,
        "method": method,
        "resolved": _resolved(result.resolved),
        "answers": _ranked(result.answers),
    }


def similarity(served: ServedModel, first: str, second: str, partial: bool) -> dict[str, Any]:
    """The cosine of two words or texts."""
    result = similarity_resolved(served.words(), first, second, partial=partial)
    return {
        "model": served.name,
        "first": first,
        "second": second,
        "cosine": round(result.cosine, _DECIMALS),
        "resolved": _resolved(result.resolved),
    }


def doesnt_match(served: ServedModel, words: Sequence[str], partial: bool) -> dict[str, Any]:
    """The word least like the others, and every word's cosine to their mean."""
    result = doesnt_match_resolved(served.words(), list(words), partial=partial)
    return {
        "model": served.name,
        "words": list(words),
        "odd": result.odd,
        "cosines": _ranked(result.cosines),
        "left_out": list(result.left_out),
        "resolved": _resolved(result.resolved),
    }


def vocabulary(served: ServedModel, prefix: str, limit: int) -> dict[str, Any]:
    """Vocabulary words beginning like ``prefix`` (Hangul-aware), for autocompletion."""
    words = served.words()
    completions = words.complete(prefix, limit)
    counts = words.counts
    return {
        "model": served.name,
        "prefix": prefix,
        "words": [
            {
                "word": word,
                "count": None if counts is None else int(counts[words.index[word]]),
            }
            for word in completions
        ],
    }


def neighbourhood(served: ServedModel, word: str, topn: int, partial: bool) -> dict[str, Any]:
    """A word's nearest neighbours placed on a 2-D map (PCA of their unit vectors),
    the query itself first."""
    words = served.words()
    target, resolved = words.query_vector([word], partial=partial)
    neighbours = words.most_similar_resolved([word], topn=topn, partial=partial)[0]
    rows = [words.unit_vector(neighbour) for neighbour, _ in neighbours]
    norm = float(np.linalg.norm(target))
    vectors = np.vstack([target / norm if norm else target, *rows]) if rows else None
    xy = project(vectors, "pca") if vectors is not None and len(vectors) >= 2 else np.zeros((1, 2))
    labels = [(word, 1.0), *neighbours]
    return {
        "model": served.name,
        "word": word,
        "resolved": _resolved(resolved),
        "points": [
            {"word": label, "score": round(score, _DECIMALS), "x": float(x), "y": float(y)}
            for (label, score), (x, y) in zip(labels, np.round(xy, _DECIMALS))
        ],
    }


def embed(served: ServedModel, texts: Sequence[str]) -> dict[str, Any]:
    """One vector per text: a document model's embedding, or else the mean of the
    unit vectors of the text's tokens that have one. A text with none gets zeros
    and is listed in ``empty``."""
    model = served.model
    if isinstance(model, DocumentModel):
        vectors = model.embed(list(texts)) if texts else np.zeros((0, model.doc_dim))
        tokens = [model.pipeline()(text) for text in texts]
    else:
        vectors, tokens = _mean_word_vectors(model, texts)
    vectors = np.asarray(vectors, dtype=np.float64)
    empty = [i for i, row in enumerate(vectors) if not np.any(row)]
    return {
        "model": served.name,
        "dim": int(vectors.shape[1]),
        "tokens": tokens,
        "vectors": np.round(vectors, _DECIMALS).tolist(),
        "empty": empty,
    }


def _mean_word_vectors(
    model: Embeddings, texts: Sequence[str]
) -> tuple[np.ndarray, list[list[str]]]:
    vectors = np.zeros((len(texts), model.dim), dtype=np.float32)
    tokens = []
    for row, text in enumerate(texts):
        try:
            vectors[row], resolved = model.query_vector([text], partial=True)
            tokens.append(resolved[0].tokens)
        except UnknownWordError as error:  # no token has a vector: a row of zeros
            tokens.append(error.tokens or ([text] if text else []))
    return vectors, tokens


def nearest_documents(
    served: ServedModel, text: str, topn: int, exact: bool = False
) -> dict[str, Any]:
    """The corpus documents nearest to ``text`` (document models)."""
    model = served.documents()
    matches, resolved = model.most_similar_documents_resolved(text, topn=topn, exact=exact)
    return {
        "model": served.name,
        "text": text,
        "score": model.score_name,
        "rows": model.documents.get("rows", "lines"),
        "resolved": dataclasses.asdict(resolved),
        "documents": [match.to_dict() for match in matches],
    }
