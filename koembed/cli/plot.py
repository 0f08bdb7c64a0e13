"""koembed plot: words of a model on a 2-D map (PNG with Hangul labels, or HTML)."""

from __future__ import annotations

from pathlib import Path

import typer

from koembed.cli._app import app
from koembed.cli._display import progress_bars, stderr
from koembed.cli._queries import MODEL, TRUST, load_word_vectors

#: Projections slow enough to say so before they start.
SLOW_PROJECTIONS = ("tsne", "umap")


@app.command(
    epilog=(
        "Examples: koembed plot --model models/w2v 영화 드라마 배우 감독 -o map.png; "
        "koembed plot --model models/w2v --neighbours 영화 --method tsne -o map.html; "
        "koembed plot --model models/w2v --top 300 --method umap -o top.html"
    ),
)
def plot(
    words: list[str] | None = typer.Argument(None, metavar="[WORD...]", help="Words to draw."),
    model_path: str = MODEL,
    trust: bool = TRUST,
    output: Path = typer.Option(
        ..., "--output", "-o", help="Picture to write: .png, .svg, .pdf or .html (interactive)."
    ),
    top: int | None = typer.Option(None, "--top", help="Draw the N most frequent words."),
    neighbours: str | None = typer.Option(
        None, "--neighbours", "--neighbors", help="Draw this word and its nearest neighbours."
    ),
    topn: int = typer.Option(30, "--topn", "-n", help="How many neighbours with --neighbours."),
    method: str = typer.Option("pca", "--method", help="Projection: pca, tsne or umap."),
    seed: int = typer.Option(0, "--seed", help="Random seed for tsne and umap."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing picture."),
) -> None:
    """Project word vectors to 2-D (PCA, t-SNE or UMAP) and draw them with their labels.

    An LDA model with no words, --top or --neighbours draws its intertopic
    distance map instead (HTML).
    """
    from koembed.evaluate.plot import plot_words

    if not words and top is None and neighbours is None and _is_topic_model(model_path):
        from koembed.documents.lda import load_topic_model
        from koembed.evaluate.topics import intertopic_map

        path = intertopic_map(load_topic_model(model_path), output, overwrite=overwrite)
        stderr.print(f"wrote {path}", markup=False)
        return
    model = load_word_vectors(model_path, trust)
    if method in SLOW_PROJECTIONS:
        stderr.print(f"{method} takes seconds to minutes for a few hundred words", markup=False)
    with progress_bars() as progress:
        path = plot_words(
            model,
            output,
            words=words or (),
            top=top,
            neighbours=neighbours,
            topn=topn,
            method=method,
            seed=seed,
            overwrite=overwrite,
            progress=progress,
        )
    stderr.print(f"wrote {path}", markup=False)


def _is_topic_model(model_path: str) -> bool:
    """Whether ``model_path`` is a model directory of kind ``lda`` (read from koembed.json)."""
    import json

    meta = Path(model_path) / "koembed.json"
    try:
        return json.loads(meta.read_text(encoding="utf-8")).get("kind") == "lda"
    except (OSError, ValueError):
        return False  # not a model directory: the usual loading says what is wrong
