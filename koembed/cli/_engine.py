"""``--engine`` and ``--master``: where the work runs (see :mod:`koembed.engines`)."""

from __future__ import annotations

import typer

from koembed.engines import create_engine
from koembed.trainers.base import ENGINE_PARAM

# The option the train commands make from ENGINE_PARAM, for koembed tokenize.
ENGINE = typer.Option(ENGINE_PARAM.default, "--engine", help=ENGINE_PARAM.help)
MASTER = typer.Option(
    None,
    "--master",
    help="Spark master URL for --engine spark: local[N], spark://HOST:7077, yarn... "
    "(default: the spark-submit session, else local[*]).",
)


def use_engine(engine: str, master: str | None) -> None:
    """Check the engine name; set up where its jobs run if ``--master`` was given.

    Raises:
        UnknownNameError: no such engine (the message lists them).
        BadInputError: ``--master`` for an engine that takes none.
    """
    chosen = create_engine(engine)
    if master is not None:
        chosen.configure(master)
