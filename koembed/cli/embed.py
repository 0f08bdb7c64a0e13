"""koembed embed: texts -> vectors (.npy or .tsv), one a line, with a document model."""

from __future__ import annotations

from pathlib import Path

import typer

from koembed.cli import _engine
from koembed.cli._app import app
from koembed.cli._display import progress_bars, stderr
from koembed.cli._queries import MODEL
from koembed.documents.embed import PARQUET, embed_to_file, embed_to_parquet, output_format
from koembed.errors import BadInputError
from koembed.models.documents import BATCH, load_documents
from koembed.text.corpus import read_corpus


@app.command(
    epilog=(
        "Examples: koembed embed --model models/sif '연기가 정말 좋았던 영화' '지루했다' "
        "-o two.tsv; koembed embed --model models/d2v --input reviews.tsv.xz --column 4 "
        "-o reviews.npy"
    ),
)
def embed(
    texts: list[str] | None = typer.Argument(
        None, metavar="[TEXT]...", help="Texts to embed (or --input)."
    ),
    model_path: str = MODEL,
    input_path: str | None = typer.Option(
        None, "--input", "-i", help="File with one text a line ('-' for stdin; .gz/.bz2/.xz)."
    ),
    output: Path = typer.Option(
        ...,
        "--output",
        "-o",
        help="vectors.npy (NumPy), vectors.tsv (tab-separated), or with --engine spark "
        "vectors.parquet (a Parquet dataset: id, vector).",
    ),
    column: int | None = typer.Option(
        None, "--column", help="Take this 1-based column of delimited --input lines."
    ),
    delimiter: str = typer.Option(
        "\t", "--delimiter", show_default=False, help="Column separator (TAB by default)."
    ),
    header: bool = typer.Option(False, "--header", help="Skip the first line of --input."),
    encoding: str = typer.Option("utf-8", "--encoding", help="utf-8, cp949, euc-kr or auto."),
    pretokenized: bool = typer.Option(
        False,
        "--pretokenized",
        help="Lines are already tokens separated by spaces (a 'koembed tokenize' output).",
    ),
    batch_size: int = typer.Option(BATCH, "--batch-size", help="Texts embedded at a time."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output."),
    engine: str = _engine.ENGINE,
    master: str | None = _engine.MASTER,
) -> None:
    """One vector per text, in input order, tokenized as the model's corpus was.

    A text with no word in the model's vocabulary gets a row of zeros, and
    the summary says which lines those were.
    """
    if bool(texts) == (input_path is not None):
        raise BadInputError(
            "give the texts as arguments or --input FILE (one of the two), e.g. "
            "koembed embed --model DIR '좋은 영화' -o out.tsv"
        )
    _engine.use_engine(engine, master)
    # A bad output name fails before the model loads.
    distributed = output_format(output) == PARQUET or engine != "local"
    if distributed and input_path is None:
        raise BadInputError(
            "a Parquet dataset (--engine spark) is embedded from a file: give it as --input FILE"
        )
    if input_path is not None:
        # Not normalized here: the model's own pipeline normalizes each text.
        source = read_corpus(
            input_path,
            column=column,
            delimiter=delimiter,
            header=header,
            encoding=encoding,
            normalize="none",
        )
        lines, inputs = iter(source), list(source.paths)
    else:
        lines, inputs = iter(texts or []), []
    model = load_documents(model_path)
    with progress_bars() as progress:
        if distributed:
            summary = embed_to_parquet(
                model,
                source,
                output,
                engine=engine,
                pretokenized=pretokenized,
                overwrite=overwrite,
                progress=progress,
            )
        else:
            summary = embed_to_file(
                model,
                lines,
                output,
                pretokenized=pretokenized,
                batch_size=batch_size,
                overwrite=overwrite,
                inputs=inputs,
                progress=progress,
            )
    rate = summary.rows / summary.seconds if summary.seconds > 0 else 0.0
    stderr.print(
        f"wrote {summary.output}: {summary.rows:,} vectors x {summary.dim} dims in "
        f"{summary.seconds:.1f} s ({rate:,.0f} texts/s)",
        markup=False,
    )
    if summary.empty:
        shown = ", ".join(map(str, summary.empty_lines))
        more = ", ..." if summary.empty > len(summary.empty_lines) else ""
        stderr.print(
            f"{summary.empty:,} text(s) had no word in the model's vocabulary; their rows are "
            f"zeros (lines {shown}{more})",
            markup=False,
        )
