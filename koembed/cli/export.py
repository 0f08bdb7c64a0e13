"""koembed export: write a model in a format other tools read."""

from __future__ import annotations

from pathlib import Path

import typer

from koembed.cli._app import app
from koembed.cli._display import stderr
from koembed.cli._queries import load_word_vectors, model_option, trust_option
from koembed.evaluate.export import EXPORT_FORMATS, export
from koembed.outputs import check_output


@app.command(
    "export",
    epilog=(
        "Example: koembed export --model models/w2v --format projector -o projector/ --top 10000 "
        "(then load vectors.tsv and metadata.tsv in the Embedding Projector)"
    ),
)
def export_command(
    model_path: str = model_option(),
    trust: bool = trust_option(),
    output: Path = typer.Option(..., "--output", "-o", help="Folder to write."),
    format: str = typer.Option(
        "projector", "--format", "-f", help=f"One of: {', '.join(EXPORT_FORMATS)}."
    ),
    top: int | None = typer.Option(None, "--top", help="Only the N most frequent words."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing folder."),
) -> None:
    """Export vectors, e.g. for TensorBoard's Embedding Projector (vectors.tsv + metadata.tsv)."""
    check_output(output, overwrite=overwrite, inputs=[model_path])
    model = load_word_vectors(model_path, trust)
    path = export(model, output, format=format, top=top, overwrite=overwrite)
    count = len(model) if top is None else min(top, len(model))
    stderr.print(f"wrote {path}: {count:,} words x {model.dim} dims ({format})", markup=False)
