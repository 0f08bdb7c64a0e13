"""koembed index: an approximate nearest-neighbour index kept in a model directory."""

from __future__ import annotations

import typer

from koembed.cli._app import app
from koembed.cli._display import progress_bars, stderr
from koembed.cli._queries import MODEL
from koembed.models import load
from koembed.models.indexed import build_indexes
from koembed.models.neighbours import IndexSettings

_DEFAULTS = IndexSettings()


@app.command(
    "index",
    epilog=(
        "Examples: koembed index --model models/sif (its documents, for similar --text); "
        "koembed index --model models/w2v --expansion-search 200"
    ),
)
def index_command(
    model_path: str = MODEL,
    vectors: str = typer.Option(
        "auto",
        "--vectors",
        help="words, documents, both, or auto (a document model's documents, else words).",
    ),
    connectivity: int = typer.Option(
        _DEFAULTS.connectivity, "--connectivity", help="Links per vector in the graph (HNSW's M)."
    ),
    expansion_add: int = typer.Option(
        _DEFAULTS.expansion_add,
        "--expansion-add",
        help="Candidates kept while building (efConstruction).",
    ),
    expansion_search: int = typer.Option(
        _DEFAULTS.expansion_search,
        "--expansion-search",
        help="Candidates kept while searching (ef): higher finds more true neighbours, slower.",
    ),
    workers: int | None = typer.Option(
        None, "--workers", "-w", help="Threads building the graph (default: all cores)."
    ),
) -> None:
    """Build an approximate nearest-neighbour index (an HNSW graph, faiss) into the
    model directory; similar, similar --text, analogy (3cosadd) and serve then use
    it, and --exact bypasses it.

    The index records checksums of the vectors: if they change, queries refuse
    the stale index until it is rebuilt with this command.
    """
    model = load(model_path)
    settings = IndexSettings(connectivity, expansion_add, expansion_search)
    with progress_bars() as progress:
        built = build_indexes(model, vectors, settings, workers=workers, progress=progress)
    for info in built:
        stderr.print(
            f"indexed {info.indexed:,} of {info.rows:,} {info.what} vectors x {info.dim} dims "
            f"in {info.seconds:.1f} s ({info.library} {info.library_version}, connectivity "
            f"{info.settings.connectivity}, expansion_search {info.settings.expansion_search})",
            markup=False,
        )
