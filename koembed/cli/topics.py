"""koembed topics: the topics of an LDA model, with their top words."""

from __future__ import annotations

import typer
from rich.table import Table
from rich.text import Text

from koembed.cli._app import app
from koembed.cli._display import stdout
from koembed.cli._queries import JSON, MODEL, echo_json
from koembed.documents.lda import load_topic_model


@app.command(epilog="Example: koembed topics --model models/lda --topn 10")
def topics(
    model_path: str = MODEL,
    topn: int = typer.Option(10, "--topn", "-n", help="Words shown per topic."),
    weights: bool = typer.Option(True, "--weights/--no-weights", help="Show word probabilities."),
    as_json: bool = JSON,
) -> None:
    """Each topic's share of the corpus and its most probable words."""
    model = load_topic_model(model_path)
    rows = model.topics(topn)
    if as_json:
        echo_json({"topics": rows, "coherence": model.meta.get("topics", {}).get("coherence")})
        return
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("topic", justify="right", style="dim")
    table.add_column("share", justify="right")
    table.add_column("top words")
    for row in rows:
        words = (
            " ".join(f"{w} {p:.3f}" for w, p in row["words"])
            if weights
            else " ".join(w for w, _ in row["words"])
        )
        table.add_row(str(row["topic"]), f"{100 * row['share']:.1f}%", Text(words))
    stdout.print(table)
