"""Options of ``koembed train`` for a raw corpus, tokenized (or reused) on the way.

Declared once here; every training command has them, so every method accepts
``koembed train METHOD RAW --tokenizer mecab --column 4``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

PANEL = "Raw corpus"

#: name -> (type, option); the names are the keyword arguments of the command.
OPTIONS: dict[str, tuple[Any, Any]] = {
    "tokenizer": (
        str | None,
        typer.Option(
            None,
            "--tokenizer",
            "-t",
            help="The input is raw text: tokenize it with this backend first "
            "(or reuse the cached copy).",
            rich_help_panel=PANEL,
        ),
    ),
    "user_dict": (
        Path | None,
        typer.Option(
            None, "--user-dict", help="User dictionary for --tokenizer.", rich_help_panel=PANEL
        ),
    ),
    "column": (
        int | None,
        typer.Option(
            None,
            "--column",
            help="Take this 1-based column of delimited lines.",
            rich_help_panel=PANEL,
        ),
    ),
    "delimiter": (
        str,
        typer.Option(
            "\t",
            "--delimiter",
            show_default=False,
            help="Column separator (TAB by default).",
            rich_help_panel=PANEL,
        ),
    ),
    "header": (
        bool,
        typer.Option(
            False, "--header", help="Skip the first line of each file.", rich_help_panel=PANEL
        ),
    ),
    "encoding": (
        str,
        typer.Option(
            "utf-8", "--encoding", help="utf-8, cp949, euc-kr or auto.", rich_help_panel=PANEL
        ),
    ),
    "errors": (
        str,
        typer.Option(
            "strict",
            "--errors",
            help="Undecodable lines: strict, replace, skip.",
            rich_help_panel=PANEL,
        ),
    ),
    "normalize": (
        str | None,
        typer.Option(
            None, "--normalize", help="Normalizer chain (default: nfc).", rich_help_panel=PANEL
        ),
    ),
    "max_lines": (
        int | None,
        typer.Option(
            None, "--max-lines", help="Read at most this many lines.", rich_help_panel=PANEL
        ),
    ),
    "pos": (
        bool,
        typer.Option(
            False, "--pos", help="Tokens as token/TAG (analyzers only).", rich_help_panel=PANEL
        ),
    ),
    "cache_dir": (
        Path | None,
        typer.Option(
            None,
            "--cache-dir",
            help="Where tokenized corpora are kept (default: ~/.cache/koembed/tokenized).",
            rich_help_panel=PANEL,
        ),
    ),
}

#: The options that read the raw corpus (keyword arguments of ``read_corpus``).
READING = ("column", "delimiter", "header", "encoding", "errors", "normalize", "max_lines")


def set_options(values: dict[str, Any]) -> list[str]:
    """The raw-corpus options (but ``tokenizer``) whose values are not their defaults."""
    return [
        name
        for name, (_, option) in OPTIONS.items()
        if name != "tokenizer" and values[name] != option.default
    ]


def read(source: Path, values: dict[str, Any]):
    """The raw corpus at ``source``, read as the options say."""
    from koembed.text.corpus import read_corpus

    return read_corpus(str(source), **{name: values[name] for name in READING})


def tokenizing(values: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments of :func:`koembed.trainers.base.training_corpus` for the raw corpus."""
    return {
        "tokenizer": values["tokenizer"],
        "user_dict": str(values["user_dict"]) if values["user_dict"] else None,
        "tokenizer_options": {"pos": True} if values["pos"] else None,
        "cache_dir": values["cache_dir"],
    }
