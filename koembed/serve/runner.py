"""Starting the server: checks first, then uvicorn with one or more workers.

Every model is loaded once before uvicorn starts, so a damaged model
directory is the same one-line error as in the CLI, not a worker's traceback.
With ``workers`` > 1 each worker process loads the models again (their
vectors are memory-mapped, so the copies share memory) and answers on one
thread. SIGTERM (or Ctrl+C) stops accepting connections, lets the requests
in flight finish, and exits.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from koembed.errors import BadInputError, MissingDependencyError
from koembed.serve.catalog import ModelCatalog, ModelSource

log = logging.getLogger(__name__)

#: Seconds a stopping server waits for the requests in flight.
DRAIN_SECONDS = 30
# Threads that numpy's BLAS would start per worker process; one is right for
# a server whose workers already use the cores (read when numpy is imported).
_BLAS_THREADS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


@dataclass
class ServeSettings:
    """How ``koembed serve`` runs: where it listens, with how many workers, and who may ask."""

    sources: Sequence[ModelSource]
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    api_key: str | None = None
    cors_origins: Sequence[str] = field(default_factory=tuple)
    access_log: bool = False

    def check(self) -> None:
        """Raises BadInputError for a value the server cannot start with."""
        if not 1 <= self.workers <= 64:
            raise BadInputError(
                f"workers must be 1 to 64, got {self.workers}", parameters=("workers",)
            )
        if not 0 <= self.port <= 65535:
            raise BadInputError(f"port must be 0 to 65535, got {self.port}", parameters=("port",))
        if not is_loopback(self.host) and not self.api_key:
            raise BadInputError(
                f"host {self.host} is reachable from other machines, so the server needs an "
                f"API key: give api_key (or set KOEMBED_API_KEY), or serve on 127.0.0.1",
                parameters=("host", "api_key"),
            )
        if self.api_key is not None and len(self.api_key) < 16:
            raise BadInputError(
                "api_key must be at least 16 characters (e.g. from: openssl rand -hex 16)",
                parameters=("api_key",),
            )


def is_loopback(host: str) -> bool:
    """Whether ``host`` is reachable from this machine only."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


def serve(settings: ServeSettings, on_ready: Callable[[ModelCatalog], None] | None = None) -> None:
    """Check ``settings``, load the models, and serve until stopped.

    Args:
        on_ready: called with the loaded models just before uvicorn starts
            (the CLI says what it serves and where).

    Raises:
        BadInputError: bad settings or a damaged model.
        MissingDependencyError: the ``serve`` extra is not installed.
    """
    settings.check()
    uvicorn = _uvicorn()
    from koembed.serve.app import SETTINGS_VARIABLE, create_app, one_blas_thread

    catalog = ModelCatalog.load(settings.sources)
    if on_ready is not None:
        on_ready(catalog)
    options = {
        "host": settings.host,
        "port": settings.port,
        "access_log": settings.access_log,
        "timeout_graceful_shutdown": DRAIN_SECONDS,
        "log_level": "info",
    }
    if settings.workers == 1:
        one_blas_thread()
        app = create_app(catalog, api_key=settings.api_key, cors_origins=settings.cors_origins)
        uvicorn.run(app, **options)
        return
    del catalog  # each worker loads its own (memory-mapped) copy
    os.environ[SETTINGS_VARIABLE] = json.dumps(
        {
            "models": [[source.name, source.path] for source in settings.sources],
            "api_key": settings.api_key,
            "cors_origins": list(settings.cors_origins),
        }
    )
    for name in _BLAS_THREADS:
        os.environ.setdefault(name, "1")
    uvicorn.run(
        "koembed.serve.app:app_from_environment",
        factory=True,
        workers=settings.workers,
        **options,
    )


def _uvicorn():
    for package in ("fastapi", "fastapi_offline", "orjson"):
        try:
            __import__(package)
        except ImportError:
            raise MissingDependencyError(
                package.replace("_", "-"), "serve", "koembed serve"
            ) from None
    try:
        import uvicorn
    except ImportError:
        raise MissingDependencyError("uvicorn", "serve", "koembed serve") from None
    return uvicorn
