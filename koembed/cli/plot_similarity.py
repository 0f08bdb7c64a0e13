"""koembed plot-similarity: a cosine-similarity heatmap of some words."""

from __future__ import annotations

from pathlib import Path

import typer

from koembed.cli._app import app
from koembed.cli._display import stderr
from koembed.cli._queries import MODEL, TRUST, load_word_vectors


@app.command(
    "plot-similarity",
    epilog="Example: koembed plot-similarity 영화 드라마 배우 음악 --model models/w2v -o heat.png",
)
def plot_similarity(
    words: list[str] = typer.Argument(..., metavar="WORD...", help="Two or more words."),
    model_path: str = MODEL,
    trust: bool = TRUST,
    output: Path = typer.Option(
        ..., "--output", "-o", help="Picture to write: .png, .svg, .pdf or .html."
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing picture."),
) -> None:
    """Draw the cosine similarity of every pair of the words as a heatmap."""
    from koembed.evaluate.plot import plot_similarity as draw

    path = draw(load_word_vectors(model_path, trust), words, output, overwrite=overwrite)
    stderr.print(f"wrote {path}", markup=False)
