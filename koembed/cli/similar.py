"""koembed similar: nearest neighbours of words, tokenized as the corpus was."""

from __future__ import annotations

import json

import typer
from rich.table import Table

from koembed.cli import app
from koembed.cli._display import stderr, stdout
from koembed.embeddings import load


@app.command(
    epilog="Example: koembed similar 희망 --model models/w2v --topn 10",
)
def similar(
    words: list[str] = typer.Argument(..., metavar="WORD...", help="Words or short texts."),
    model_path: str = typer.Option(..., "--model", "-m", help="Model directory or vectors file."),
    topn: int = typer.Option(10, "--topn", "-n", help="How many neighbours."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Nearest words by cosine similarity. Several words are averaged."""
    model = load(model_path)
    neighbours, resolved = model.most_similar_resolved(words, topn=topn)
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "query": words,
                    "resolved": [vars(query) for query in resolved],
                    "neighbours": [{"word": w, "score": round(s, 6)} for w, s in neighbours],
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for query in resolved:
        if query.tokens != [query.text]:
            stderr.print(
                f"{query.text} -> {' / '.join(query.tokens)} (tokenized as the corpus was; "
                f"averaging {len(query.found)} token vector(s))"
            )
        if query.missing:
            stderr.print(f"not in the vocabulary, left out: {', '.join(query.missing)}")
        for token in query.subword:
            stderr.print(
                f"{token} is not in the vocabulary; its vector comes from character n-grams"
            )
    if len(resolved) > 1:
        stderr.print(f"averaging the vectors of {len(resolved)} queries")
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("word")
    table.add_column("cosine", justify="right")
    for rank, (word, score) in enumerate(neighbours, start=1):
        table.add_row(str(rank), word, f"{score:.4f}")
    stdout.print(table)
