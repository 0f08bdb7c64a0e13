"""koembed export: write a model in a format other tools read."""

from __future__ import annotations

from pathlib import Path

import typer

from koembed.cli._app import app
from koembed.cli._display import stderr
from koembed.cli._queries import MODEL, TRUST, load_word_vectors
from koembed.evaluate.export import export
from koembed.models import SubwordEmbeddings
from koembed.outputs import check_output


@app.command(
    "export",
    epilog=(
        "Examples: koembed export --model models/w2v --format projector -o projector/ --top 10000 "
        "(then load vectors.tsv and metadata.tsv in the Embedding Projector); "
        "koembed export --model models/w2v --format word2vec -o w2v.txt; "
        "koembed export --model models/fasttext --format fasttext -o fasttext.bin"
    ),
)
def export_command(
    model_path: str = MODEL,
    trust: bool = TRUST,
    output: Path = typer.Option(
        ..., "--output", "-o", help="Folder (projector) or file (the other formats) to write."
    ),
    format: str = typer.Option(
        "projector",
        "--format",
        "-f",
        help=(
            "projector (a folder for the Embedding Projector), word2vec, word2vec-binary, "
            "glove, or fasttext (a fastText model's .bin)."
        ),
    ),
    top: int | None = typer.Option(None, "--top", help="Only the N most frequent words."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output."),
) -> None:
    """Export vectors for other tools: the Embedding Projector, word2vec, GloVe, fastText."""
    check_output(output, overwrite=overwrite, inputs=[model_path])
    model = load_word_vectors(model_path, trust)
    path = export(model, output, format=format, top=top, overwrite=overwrite)
    count = len(model) if top is None else min(top, len(model))
    stderr.print(f"wrote {path}: {count:,} words x {model.dim} dims ({format})", markup=False)
    if format == "fasttext" and isinstance(model, SubwordEmbeddings) and model.jamo:
        stderr.print(
            "this jamo model's .bin holds its words decomposed into jamo, as they were "
            "trained: decompose queries the same way (koembed.text.jamo.decompose)",
            markup=False,
        )
