"""koembed serve: the models behind an HTTP API and a web explorer page."""

from __future__ import annotations

import os

import typer

from koembed.cli._app import app
from koembed.cli._display import stderr
from koembed.serve.catalog import ModelCatalog, model_sources
from koembed.serve.guards import API_KEY_VARIABLE


@app.command(
    epilog=(
        "Examples: koembed serve --model models/w2v --model models/ppmi; "
        "koembed serve --model w2v=models/w2v --workers 2 --port 8080; "
        f"{API_KEY_VARIABLE}=$(openssl rand -hex 16) koembed serve --model models/w2v "
        "--host 0.0.0.0"
    ),
)
def serve(
    models: list[str] = typer.Option(
        ...,
        "--model",
        "-m",
        help="A model directory to serve, or NAME=DIR to name it (repeatable; the first "
        "answers requests that name no model).",
    ),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on; other than loopback needs --api-key."
    ),
    port: int = typer.Option(8000, "--port", help="Port to listen on."),
    workers: int = typer.Option(
        1, "--workers", help="Worker processes (they share the memory-mapped vectors)."
    ),
    api_key: str | None = typer.Option(
        None,
        "--api-key",
        help=f"Key every API request must carry (X-API-Key header); default ${API_KEY_VARIABLE}.",
        show_default=False,
    ),
    cors: list[str] | None = typer.Option(
        None, "--cors", metavar="ORIGIN", help="Let pages from ORIGIN call the API (repeatable)."
    ),
    access_log: bool = typer.Option(
        False, "--access-log/--no-access-log", help="Log every request (costs throughput)."
    ),
) -> None:
    """Answer the query commands over HTTP (JSON at /api, docs at /docs) and
    serve a web page to explore the models at /. Ctrl+C or SIGTERM lets the
    requests in flight finish, then stops."""
    from koembed.serve.runner import ServeSettings
    from koembed.serve.runner import serve as run_server

    settings = ServeSettings(
        model_sources(models),
        host=host,
        port=port,
        workers=workers,
        api_key=api_key or os.environ.get(API_KEY_VARIABLE) or None,
        cors_origins=tuple(cors or ()),
        access_log=access_log,
    )
    shown_host = f"[{host}]" if ":" in host else host

    def ready(catalog: ModelCatalog) -> None:
        served = ", ".join(
            f"{name} ({model.info()['method'] or model.info()['kind']}, "
            f"{model.info()['vocab_size']:,} words)"
            for name, model in catalog.models.items()
        )
        stderr.print(
            f"serving {served} at http://{shown_host}:{port}/ (API docs: /docs); "
            f"{workers} worker(s)",
            markup=False,
            soft_wrap=True,
        )

    run_server(settings, on_ready=ready)
