"""koembed corpus list|download|prepare: named corpora, and the book's corpora as text."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from koembed.cli import _engine
from koembed.cli._app import CommandGroup, app
from koembed.cli._display import progress_bars, stderr, stdout
from koembed.engines import create_engine
from koembed.text.downloads import download_corpus, list_corpora
from koembed.text.korquad import prepare_korquad

corpus_app = typer.Typer(
    cls=CommandGroup, help="List and download named corpora.", no_args_is_help=True
)
app.add_typer(corpus_app, name="corpus")


@corpus_app.command("list", epilog="Example: koembed corpus list")
def list_command() -> None:
    """Show downloadable and bundled corpora with size and license."""
    table = Table(box=None, pad_edge=False)
    for column in ("name", "kind", "size", "license", "description"):
        table.add_column(column)
    for row in list_corpora():
        table.add_row(
            row["name"], row["kind"], f"{row['size'] / 1e6:.1f} MB", row["license"], row["title"]
        )
    stdout.print(table)


@corpus_app.command(
    "download",
    epilog="Examples: koembed corpus download nsmc -o corpora/ --mirror /data/mirror; "
    "koembed corpus download kowiki --date 20240601 (about 1 GB; resumes if interrupted)",
)
def download(
    name: str = typer.Argument(..., help="Corpus name (see 'koembed corpus list')."),
    output: Path = typer.Option(Path("corpora"), "--output", "-o", help="Folder to write into."),
    mirror: Path | None = typer.Option(
        None,
        "--mirror",
        help="Folder holding the corpus files (looked in first); default: $KOEMBED_MIRROR.",
    ),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing text file."),
    date: str = typer.Option(
        "latest", "--date", help="kowiki only: the dump's date, YYYYMMDD, or latest."
    ),
) -> None:
    """Download a corpus, verify its checksum, and write NAME.txt (one text a line).

    kowiki is a Wikipedia dump: it is downloaded and verified against the SHA-1
    Wikimedia publishes; turn it into text with 'koembed corpus prepare kowiki'.
    """
    with progress_bars() as progress:
        path = download_corpus(
            name, output, mirror=mirror, overwrite=overwrite, date=date, progress=progress
        )
    if name == "kowiki":
        stderr.print(f"downloaded {path}; next: koembed corpus prepare kowiki {path} -o kowiki.txt")
    else:
        stderr.print(f"wrote {path}")


prepare_app = typer.Typer(
    cls=CommandGroup,
    help="Turn the book's corpora into text, one paragraph (or sentence) a line.",
    no_args_is_help=True,
)
corpus_app.add_typer(prepare_app, name="prepare")


@prepare_app.command(
    "kowiki",
    epilog="Example: koembed corpus prepare kowiki corpora/kowiki/kowiki-20240601-pages-"
    "articles.xml.bz2 -o kowiki.txt --workers 2",
)
def prepare_kowiki_command(
    dump: Path = typer.Argument(..., help="A kowiki pages-articles dump (.xml.bz2 or .xml)."),
    output: Path = typer.Option(..., "--output", "-o", help="The text file to write."),
    sentences: bool = typer.Option(
        False, "--sentences", help="One sentence a line instead of one paragraph."
    ),
    workers: int = typer.Option(1, "--workers", "-w", help="Processes cleaning pages."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output."),
    engine: str = _engine.ENGINE,
    master: str | None = _engine.MASTER,
) -> None:
    """Articles of a Wikipedia dump as plain text: no templates, references, tables,
    files, categories or markup; link text kept. With --engine spark, Spark tasks
    read and clean the pages (the dump must be where every executor can read it)."""
    _engine.use_engine(engine, master)
    with progress_bars() as progress:
        summary = create_engine(engine).prepare_wikipedia(
            dump,
            output,
            sentences=sentences,
            workers=workers,
            overwrite=overwrite,
            progress=progress,
        )
    stderr.print(
        f"wrote {summary.path}: {summary.lines:,} {'sentences' if sentences else 'paragraphs'} "
        f"from {summary.articles:,} articles ({summary.pages:,} pages, "
        f"{summary.redirects:,} redirects)"
    )


@prepare_app.command(
    "korquad",
    epilog="Example: koembed corpus prepare korquad KorQuAD_v1.0_train.json "
    "KorQuAD_v1.0_dev.json -o korquad.txt",
)
def prepare_korquad_command(
    inputs: list[Path] = typer.Argument(..., help="KorQuAD 1.0 JSON files."),
    output: Path = typer.Option(..., "--output", "-o", help="The text file to write."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing output."),
) -> None:
    """KorQuAD's contexts (each once) and questions, one a line."""
    summary = prepare_korquad(inputs, output, overwrite=overwrite)
    stderr.print(
        f"wrote {summary.path}: {summary.contexts:,} contexts ({summary.duplicates:,} repeats "
        f"left out) and {summary.questions:,} questions"
    )
