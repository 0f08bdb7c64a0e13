"""koembed vocab: the most frequent words of a model."""

from __future__ import annotations

import typer
from rich.table import Table
from rich.text import Text

from koembed.cli._app import app
from koembed.cli._display import stderr, stdout
from koembed.cli._queries import JSON, MODEL, TRUST, echo_json, load_word_vectors
from koembed.evaluate import top_words


@app.command(epilog="Example: koembed vocab --model models/w2v --top 50")
def vocab(
    model_path: str = MODEL,
    trust: bool = TRUST,
    top: int = typer.Option(20, "--top", "-n", help="How many words."),
    as_json: bool = JSON,
) -> None:
    """The N most frequent words with their corpus counts."""
    model = load_word_vectors(model_path, trust)
    rows = top_words(model, top)
    if as_json:
        echo_json(
            {
                "vocab_size": len(model),
                "counts_known": model.counts is not None,
                "words": [row.to_dict() for row in rows],
            }
        )
        return
    if model.counts is None:
        stderr.print("this model carries no word counts: showing its first rows in file order")
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("word")
    table.add_column("count", justify="right")
    for row in rows:
        table.add_row(str(row.rank), Text(row.word), "" if row.count is None else f"{row.count:,}")
    stdout.print(table)
    stderr.print(f"{len(model):,} words in the vocabulary")
