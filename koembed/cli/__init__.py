"""The ``koembed`` command. Each command lives in its own module here and only
parses options, calls the library, and shows progress and results; the app
they register on is :mod:`koembed.cli._app`."""

from koembed.cli import (  # noqa: F401 - each module registers its commands
    analogy,
    corpus,
    doesnt_match,
    embed,
    evaluate,
    evaluate_docs,
    export,
    index,
    plot,
    plot_similarity,
    serve,
    shell,
    similar,
    similarity,
    tokenize,
    topics,
    train,
    tune,
    vocab,
)
from koembed.cli._app import app

__all__ = ["app", "main"]


def main() -> None:
    """Console-script entry point."""
    app()
