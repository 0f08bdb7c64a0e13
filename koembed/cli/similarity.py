"""koembed similarity: the cosine similarity of two words."""

from __future__ import annotations

import typer

from koembed.cli._app import app
from koembed.cli._queries import JSON, MODEL, PARTIAL, TRUST, answer, load_word_vectors
from koembed.evaluate import similarity_resolved


@app.command(epilog="Example: koembed similarity 영화 드라마 --model models/w2v")
def similarity(
    first: str = typer.Argument(..., metavar="WORD1", help="A word or short text."),
    second: str = typer.Argument(..., metavar="WORD2", help="Another."),
    model_path: str = MODEL,
    trust: bool = TRUST,
    partial: bool = PARTIAL,
    as_json: bool = JSON,
) -> None:
    """Cosine similarity of two words (tokenized as the corpus was if needed)."""
    model = load_word_vectors(model_path, trust)
    result = similarity_resolved(model, first, second, partial=partial)
    data = {
        "first": first,
        "second": second,
        "cosine": round(result.cosine, 6),
        "resolved": result.resolved,
    }
    line = f"{first}  {second}  {result.cosine:.4f}"
    answer(model, result.resolved, as_json, data, lines=[line])
