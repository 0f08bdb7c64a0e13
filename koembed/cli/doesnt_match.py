"""koembed doesnt-match: the word that does not go with the others."""

from __future__ import annotations

import typer

from koembed.cli._app import app
from koembed.cli._display import stdout
from koembed.cli._queries import (
    echo_json,
    explain,
    json_option,
    load_word_vectors,
    model_option,
    ranked_table,
    resolved_json,
    trust_option,
)
from koembed.evaluate import doesnt_match_resolved


@app.command(
    "doesnt-match",
    epilog="Example: koembed doesnt-match 사과 배 포도 자동차 --model models/w2v",
)
def doesnt_match(
    words: list[str] = typer.Argument(..., metavar="WORD...", help="Two or more words."),
    model_path: str = model_option(),
    trust: bool = trust_option(),
    as_json: bool = json_option(),
) -> None:
    """The word least similar to the mean of all of them."""
    model = load_word_vectors(model_path, trust)
    result = doesnt_match_resolved(model, words)
    if as_json:
        echo_json(
            {
                "words": words,
                "odd": result.odd,
                "cosine_to_mean": [{"word": w, "score": round(s, 6)} for w, s in result.cosines],
                "resolved": resolved_json(result.resolved),
            }
        )
        return
    explain(result.resolved, model)
    stdout.print(f"odd one out: {result.odd}", markup=False)
    stdout.print(ranked_table(result.cosines, score="cosine to mean"))
