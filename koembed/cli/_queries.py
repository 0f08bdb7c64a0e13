"""What the query commands (similar, analogy, similarity, ...) share: how a
query was tokenized, said on stderr, and JSON on stdout."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from koembed.cli._display import stderr, stdout
from koembed.models import Embeddings, ResolvedQuery, load, word_vectors_of

MODEL = typer.Option(..., "--model", "-m", help="Model directory or vectors file.")
TRUST = typer.Option(
    False, "--trust", help="Allow loading a gensim pickle (.kv/.model): it can run code."
)
JSON = typer.Option(False, "--json", help="Print JSON instead of a table.")
PARTIAL = typer.Option(
    False,
    "--partial",
    help="A query with tokens out of the vocabulary stands for its other tokens "
    "(said on stderr) instead of failing.",
)

EXACT = typer.Option(
    False,
    "--exact",
    help="Score every vector even if the model has an approximate index (koembed index).",
)


def load_word_vectors(model_path: str, trust: bool) -> Embeddings:
    """The word vectors of the model at ``model_path``, for the word commands
    (a document model's own; a PV-DBOW model's random ones are refused)."""
    return word_vectors_of(load(model_path, trust=trust))


def explain(resolved: Sequence[ResolvedQuery], model: Embeddings | None = None) -> None:
    """Say on stderr which tokens stood for each query that was not one word.

    A query with tokens missing from the vocabulary is often a typo, so the
    closest vocabulary spellings are offered too (when ``model`` is given).
    """
    for query in resolved:
        if query.tokens != [query.text]:
            stderr.print(
                f"{query.text} -> {' / '.join(query.tokens)} (tokenized as the corpus was; "
                f"averaging {len(query.found)} token vector(s))",
                markup=False,
                soft_wrap=True,
            )
        for token in getattr(query, "subword", ()):
            stderr.print(
                f"{token} is not in the vocabulary; its vector comes from character n-grams",
                markup=False,
                soft_wrap=True,
            )
        if query.missing:  # only with --partial: said loudly, it changes the question
            hint = ""
            if model is not None:
                spellings = model.suggest(query.text, n=3)
                hint = f"; did you mean {', '.join(spellings)}?" if spellings else ""
            stderr.print(
                f"warning: {', '.join(query.missing)} has no vector and is left out (--partial): "
                f"{query.text} stands for {' / '.join(query.found)} alone{hint}",
                markup=False,
                soft_wrap=True,
            )


def echo_json(data: Any) -> None:
    """``data`` as indented JSON on stdout; dataclasses (resolved queries) as objects."""
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2, default=_jsonable))


def _jsonable(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.asdict(value)
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def ranked_table(rows: Sequence[tuple[str, float]], score: str = "cosine") -> Table:
    """A ``# word score`` table."""
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column("word")
    table.add_column(score, justify="right")
    for rank, (word, value) in enumerate(rows, start=1):
        # Text, not markup: a vocabulary entry may look like [bold].
        table.add_row(str(rank), Text(word), f"{value:.4f}")
    return table


def answer(
    model: Embeddings,
    resolved: Sequence[ResolvedQuery],
    as_json: bool,
    data: dict,
    *,
    lines: Sequence[str] = (),
    table: Sequence[tuple[str, float]] | None = None,
    score: str = "cosine",
    heading: str | None = None,
) -> None:
    """Print a query's answer: ``data`` as JSON on stdout (resolved queries in it
    as JSON objects), or else how each query was tokenized and ``heading`` on
    stderr, then ``lines`` and the ranked ``table`` on stdout."""
    if as_json:
        echo_json(data)
        return
    explain(resolved, model)
    if heading:
        stderr.print(heading, markup=False, soft_wrap=True)
    for line in lines:
        stdout.print(line, markup=False)
    if table is not None:
        stdout.print(ranked_table(table, score=score))
