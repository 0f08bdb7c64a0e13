"""koembed doesnt-match: the word that does not go with the others."""

from __future__ import annotations

import typer

from koembed.cli._app import app
from koembed.cli._queries import JSON, MODEL, PARTIAL, TRUST, answer, load_word_vectors
from koembed.evaluate import doesnt_match_resolved


@app.command(
    "doesnt-match",
    epilog="Example: koembed doesnt-match 사과 배 포도 자동차 --model models/w2v",
)
def doesnt_match(
    words: list[str] = typer.Argument(..., metavar="WORD...", help="Two or more words."),
    model_path: str = MODEL,
    trust: bool = TRUST,
    partial: bool = PARTIAL,
    as_json: bool = JSON,
) -> None:
    """The word least similar to the mean of all of them; words with no vector
    are left out (and named), as long as two remain."""
    model = load_word_vectors(model_path, trust)
    result = doesnt_match_resolved(model, words, partial=partial)
    data = {
        "words": words,
        "odd": result.odd,
        "cosine_to_mean": [{"word": w, "score": round(s, 6)} for w, s in result.cosines],
        "resolved": result.resolved,
        "left_out": result.left_out,
    }
    left_out = ", ".join(result.left_out)
    heading = f"left out, with no vector: {left_out}" if left_out else None
    lines = [f"odd one out: {result.odd}"]
    table, score = result.cosines, "cosine to mean"
    answer(
        model,
        result.resolved,
        as_json,
        data,
        lines=lines,
        table=table,
        score=score,
        heading=heading,
    )
