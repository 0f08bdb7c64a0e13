"""Options of ``koembed train`` for a raw corpus, tokenized (or reused) on the way.

Declared once here and listed in each training command, so every method
accepts ``koembed train METHOD RAW --tokenizer mecab --column 4``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import typer

from koembed.errors import BadInputError

TOKENIZER = typer.Option(
    None,
    "--tokenizer",
    "-t",
    help="The input is raw text: tokenize it with this backend first (or reuse the cached copy).",
    rich_help_panel="Raw corpus",
)
USER_DICT = typer.Option(
    None, "--user-dict", help="User dictionary for --tokenizer.", rich_help_panel="Raw corpus"
)
COLUMN = typer.Option(
    None,
    "--column",
    help="Take this 1-based column of delimited lines.",
    rich_help_panel="Raw corpus",
)
DELIMITER = typer.Option(
    "\t",
    "--delimiter",
    show_default=False,
    help="Column separator (TAB by default).",
    rich_help_panel="Raw corpus",
)
HEADER = typer.Option(
    False, "--header", help="Skip the first line of each file.", rich_help_panel="Raw corpus"
)
ENCODING = typer.Option(
    "utf-8", "--encoding", help="utf-8, cp949, euc-kr or auto.", rich_help_panel="Raw corpus"
)
ERRORS = typer.Option(
    "strict",
    "--errors",
    help="Undecodable lines: strict, replace, skip.",
    rich_help_panel="Raw corpus",
)
NORMALIZE = typer.Option(
    None, "--normalize", help="Normalizer chain (default: nfc).", rich_help_panel="Raw corpus"
)
MAX_LINES = typer.Option(
    None, "--max-lines", help="Read at most this many lines.", rich_help_panel="Raw corpus"
)
POS = typer.Option(
    False, "--pos", help="Tokens as token/TAG (analyzers only).", rich_help_panel="Raw corpus"
)
CACHE_DIR = typer.Option(
    None,
    "--cache-dir",
    help="Where tokenized corpora are kept (default: ~/.cache/koembed/tokenized).",
    rich_help_panel="Raw corpus",
)


@dataclass
class RawInput:
    """How to read and tokenize a raw corpus; ``tokenizer`` None = already tokenized."""

    tokenizer: str | None = None
    user_dict: Path | None = None
    column: int | None = None
    delimiter: str = "\t"
    header: bool = False
    encoding: str = "utf-8"
    errors: str = "strict"
    normalize: str | None = None
    max_lines: int | None = None
    pos: bool = False
    cache_dir: Path | None = None

    def check(self) -> None:
        """Refuse reading options given for an already tokenized corpus."""
        if self.tokenizer is not None:
            return
        given = [
            flag
            for flag, value, default in (
                ("--user-dict", self.user_dict, None),
                ("--column", self.column, None),
                ("--delimiter", self.delimiter, "\t"),
                ("--header", self.header, False),
                ("--encoding", self.encoding, "utf-8"),
                ("--errors", self.errors, "strict"),
                ("--normalize", self.normalize, None),
                ("--max-lines", self.max_lines, None),
                ("--pos", self.pos, False),
                ("--cache-dir", self.cache_dir, None),
            )
            if value != default
        ]
        if given:
            raise BadInputError(
                f"{', '.join(given)} read a raw corpus; add --tokenizer NAME (e.g. mecab) "
                f"to tokenize the input on the way, or leave them out for a tokenized file"
            )

    def read(self, source: Path):
        from koembed.text.corpus import read_corpus

        return read_corpus(
            str(source),
            column=self.column,
            delimiter=self.delimiter,
            header=self.header,
            encoding=self.encoding,
            errors=self.errors,
            normalize=self.normalize,
            max_lines=self.max_lines,
        )

    def train_options(self) -> dict:
        """Keyword arguments of :func:`koembed.train` for the raw corpus."""
        return {
            "tokenizer": self.tokenizer,
            "user_dict": str(self.user_dict) if self.user_dict else None,
            "tokenizer_options": {"pos": True} if self.pos else None,
            "cache_dir": self.cache_dir,
        }
