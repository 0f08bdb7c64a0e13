"""``--engine`` and ``--master``: run on this machine or on Apache Spark."""

from __future__ import annotations

import typer

ENGINE = typer.Option(
    "local",
    "--engine",
    help="local (processes/threads here) or spark (see 'Running on a cluster' in the README).",
)
MASTER = typer.Option(
    None,
    "--master",
    help="Spark master URL for --engine spark: local[N], spark://HOST:7077, yarn... "
    "(default: the spark-submit session, else local[*]).",
)


def use_engine(engine: str, master: str | None) -> None:
    """Check the engine; set up the Spark session's master if one was given."""
    from koembed.engines.spark import check_engine, configure
    from koembed.errors import BadInputError

    check_engine(engine)
    if master is not None:
        if engine != "spark":
            raise BadInputError("--master is for --engine spark")
        configure(master)
