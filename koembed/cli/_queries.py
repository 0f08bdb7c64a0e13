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

from koembed.cli._display import stderr
from koembed.models import Embeddings, ResolvedQuery, load, word_vectors_of


def model_option() -> Any:
    return typer.Option(..., "--model", "-m", help="Model directory or vectors file.")


def trust_option() -> Any:
    return typer.Option(
        False, "--trust", help="Allow loading a gensim pickle (.kv/.model): it can run code."
    )


def json_option() -> Any:
    return typer.Option(False, "--json", help="Print JSON instead of a table.")


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
        if query.missing:
            hint = ""
            if model is not None:
                spellings = model.suggest(query.text, n=3)
                hint = f"; did you mean {', '.join(spellings)}?" if spellings else ""
            stderr.print(
                f"not in the vocabulary, left out: {', '.join(query.missing)}{hint}",
                markup=False,
                soft_wrap=True,
            )


def resolved_json(resolved: Sequence[ResolvedQuery]) -> list[dict]:
    return [dataclasses.asdict(query) for query in resolved]


def echo_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False, indent=2))


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
