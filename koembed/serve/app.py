"""The web application: the JSON API, the explorer page, the docs, and the guards.

:func:`create_app` builds it around models already loaded; :func:`app_from_environment`
is what each uvicorn worker process calls to load them itself (the vectors are
memory-mapped, so the workers share one copy through the page cache).
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Sequence
from importlib import resources

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline

from koembed.errors import KoembedError, UnknownNameError
from koembed.models import UnknownWordError
from koembed.serve.catalog import ModelCatalog, ModelSource
from koembed.serve.guards import ApiKeyGuard, BodyLimit
from koembed.serve.routes import JSONBytes, api_router
from koembed.serve.schemas import MAX_BODY_BYTES
from koembed.versions import __version__

log = logging.getLogger(__name__)

#: Where ``koembed serve`` leaves its settings for the worker processes it starts.
SETTINGS_VARIABLE = "KOEMBED_SERVE_SETTINGS"
STATIC = resources.files("koembed.serve") / "static"


def create_app(
    catalog: ModelCatalog, *, api_key: str | None = None, cors_origins: Sequence[str] = ()
) -> FastAPI:
    """The application answering from ``catalog``'s models.

    Args:
        api_key: required of every ``/api/`` request when given.
        cors_origins: web origins whose pages may call the API (none by default).
    """
    catalog.warm()
    app = FastAPIOffline(
        title="koembed",
        version=__version__,
        description="Korean word and document vectors: the queries of the koembed CLI over HTTP.",
    )
    app.include_router(api_router(catalog))
    _add_error_answers(app)

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(str(STATIC / "index.html"))

    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    if cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type", "Authorization", "X-API-Key"],
        )
    if api_key:
        app.add_middleware(ApiKeyGuard, key=api_key)
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    return app


def app_from_environment() -> FastAPI:
    """The application for a worker process, from the settings ``koembed serve``
    left in :data:`SETTINGS_VARIABLE` (uvicorn's factory for ``--workers``)."""
    one_blas_thread()
    settings = json.loads(os.environ[SETTINGS_VARIABLE])
    sources = [ModelSource(name, path) for name, path in settings["models"]]
    return create_app(
        ModelCatalog.load(sources),
        api_key=settings.get("api_key"),
        cors_origins=settings.get("cors_origins", ()),
    )


def one_blas_thread() -> None:
    """Limit this process's BLAS to one thread: a server process answers on one
    thread, and a BLAS pool per worker would put 2 x N threads on N cores
    (measured: 70 requests/s instead of 850). For the process that serves only:
    it lasts as long as the process."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # numpy then uses what OPENBLAS_NUM_THREADS says
        return
    threadpool_limits(1)


def _add_error_answers(app: FastAPI) -> None:
    """The library's errors as 4xx answers with their one-line messages."""

    @app.exception_handler(UnknownWordError)
    async def unknown_word(request: Request, error: UnknownWordError) -> JSONBytes:
        return JSONBytes(
            {"detail": str(error), "word": error.word, "suggestions": error.suggestions},
            status_code=404,
        )

    @app.exception_handler(UnknownNameError)
    async def unknown_name(request: Request, error: UnknownNameError) -> JSONBytes:
        status = 404 if error.kind == "model" else 400
        return JSONBytes({"detail": str(error), "valid": error.valid}, status_code=status)

    @app.exception_handler(KoembedError)
    async def bad_input(request: Request, error: KoembedError) -> JSONBytes:
        return JSONBytes({"detail": str(error)}, status_code=400)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONBytes:
        problems = [_said(problem) for problem in error.errors()]
        return JSONBytes(
            {"detail": "; ".join(problems), "errors": _jsonable(error.errors())},
            status_code=422,
        )

    del unknown_word, unknown_name, bad_input, invalid  # registered above


def _said(problem: dict) -> str:
    where = " ".join(str(part) for part in problem.get("loc", ()))
    return f"{where}: {problem.get('msg', 'invalid')}"


def _jsonable(errors: Sequence[dict]) -> list[dict]:
    # A validation error may carry the exception or the bad bytes themselves.
    return [
        {key: value for key, value in error.items() if key in ("type", "loc", "msg")}
        for error in errors
    ]
