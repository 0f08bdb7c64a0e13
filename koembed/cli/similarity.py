"""koembed similarity: the cosine similarity of two words."""

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
    resolved_json,
    trust_option,
)
from koembed.evaluate import similarity_resolved


@app.command(epilog="Example: koembed similarity 영화 드라마 --model models/w2v")
def similarity(
    first: str = typer.Argument(..., metavar="WORD1", help="A word or short text."),
    second: str = typer.Argument(..., metavar="WORD2", help="Another."),
    model_path: str = model_option(),
    trust: bool = trust_option(),
    as_json: bool = json_option(),
) -> None:
    """Cosine similarity of two words (tokenized as the corpus was if needed)."""
    model = load_word_vectors(model_path, trust)
    result = similarity_resolved(model, first, second)
    if as_json:
        echo_json(
            {
                "first": first,
                "second": second,
                "cosine": round(result.cosine, 6),
                "resolved": resolved_json(result.resolved),
            }
        )
        return
    explain(result.resolved, model)
    stdout.print(f"{first}  {second}  {result.cosine:.4f}", markup=False)
