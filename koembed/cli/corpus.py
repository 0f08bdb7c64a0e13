"""koembed corpus list|download: named corpora."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.table import Table

from koembed.cli._app import CommandGroup, app
from koembed.cli._display import progress_bars, stderr, stdout
from koembed.text.downloads import download_corpus, list_corpora

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
    epilog="Example: koembed corpus download nsmc -o corpora/ --mirror /data/mirror",
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
) -> None:
    """Download a corpus, verify its checksum, and write NAME.txt (one text a line)."""
    with progress_bars() as progress:
        path = download_corpus(name, output, mirror=mirror, overwrite=overwrite, progress=progress)
    stderr.print(f"wrote {path}")
