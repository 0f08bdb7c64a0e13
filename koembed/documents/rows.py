"""What a document model's rows are and show: the raw corpus lines, their tokens, or tags.

Which text a row shows: by default the raw corpus line, re-read through the
tokenized corpus's manifest (it records the input files, column, encoding), so
an answer reads "연기가 정말 좋았던 영화" rather than its morphemes. The
tokenized file has one line per input line, so the two are aligned line by
line; the line counts are checked. The text is copied into the model, which
answers queries after the corpus is gone. Where the raw input cannot be read
again (standard input, a tokenized file without manifest), the tokenized line
is shown instead.
"""

from __future__ import annotations

import logging
import os
from array import array
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from koembed.errors import BadInputError
from koembed.models.documents import DOC_OFFSETS, DOC_TEXT, DOCUMENTS
from koembed.text.corpus import STDIN, Corpus, read_corpus
from koembed.tokenize import TokenizedCorpus

log = logging.getLogger(__name__)


SHOW_CHOICES = ("auto", "text", "tokens", "none")


def pack_texts(texts: Iterable[str]) -> dict[str, np.ndarray]:
    """``doc_text`` (UTF-8 bytes end to end) and ``doc_offsets`` arrays for ``texts``."""
    buffer = bytearray()
    offsets = array("q", [0])
    for text in texts:
        buffer += text.encode("utf-8")
        offsets.append(len(buffer))
    return {
        DOC_TEXT: np.frombuffer(bytes(buffer), dtype=np.uint8).copy(),
        DOC_OFFSETS: np.asarray(offsets, dtype=np.int64),
    }


def resolve_show(corpus: TokenizedCorpus, show: str) -> str:
    """``auto`` -> ``text`` when the raw corpus can be read again, else ``tokens``."""
    if show != "auto":
        if show == "text":
            raw_corpus(corpus)  # fails now, with the reason, rather than after training
        return show
    try:
        raw_corpus(corpus)
    except BadInputError as error:
        log.info("documents will show their tokens: %s", error)
        return "tokens"
    return "text"


def raw_corpus(corpus: TokenizedCorpus, column: int | None = None) -> Corpus:
    """The raw corpus ``corpus`` was tokenized from, read as it was (or another
    ``column``: the tags of :func:`read_tags`).

    Raises:
        BadInputError: the manifest does not say where the input is, it came
            from standard input, or a file is gone.
    """
    source = corpus.manifest.get("input") or {}
    paths = source.get("paths") or []
    # Without it, documents can show their tokens instead, and tags come from a file.
    instead, parameter = (
        ("use show='tokens'", "show") if column is None else ("give tags FILE", "tags")
    )
    if "lines" not in corpus.manifest or not paths:
        raise BadInputError(
            f"{corpus.path} has no manifest from 'koembed tokenize', so its raw text "
            f"cannot be found; {instead}",
            parameters=(parameter,),
        )
    if STDIN in paths:
        raise BadInputError(
            f"{corpus.path} was tokenized from standard input, which cannot be read again; "
            f"tokenize from a file, or {instead}",
            parameters=(parameter,),
        )
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise BadInputError(
            f"the raw corpus {missing[0]} that {corpus.path} was tokenized from is gone; "
            f"restore it, or {instead}",
            parameters=(parameter,),
        )
    return read_corpus(
        paths,
        column=column if column is not None else source.get("column"),
        delimiter=source.get("delimiter") or "\t",
        header=bool(source.get("header")),
        encoding=source.get("encoding") or "utf-8",
        errors=source.get("errors") or "strict",
        normalize="none",
        max_lines=source.get("max_lines"),
    )


def line_texts(corpus: TokenizedCorpus, show: str) -> Iterator[str]:
    """What each line of ``corpus`` shows, line by line; checks the raw text is aligned.

    Args:
        show: ``text``, ``tokens`` or ``none`` (see :func:`resolve_show`).

    Raises:
        BadInputError: the raw corpus has another number of lines than the
            tokenized one (it changed since it was tokenized).
    """
    if show == "none":
        with open(corpus.path, encoding="utf-8") as handle:
            for _ in handle:
                yield ""
        return
    if show == "tokens":
        with open(corpus.path, encoding="utf-8") as handle:
            for line in handle:
                yield line.rstrip("\n")
        return
    expected = corpus.manifest["lines"]
    seen = 0
    for line in raw_corpus(corpus).iter_raw():
        seen += 1
        if seen > expected:
            break
        yield line.strip()
    if seen != expected:
        raise BadInputError(
            f"the raw corpus of {corpus.path} now has {'more' if seen > expected else seen} "
            f"lines, but {expected} were tokenized; it changed since: tokenize it again, "
            f"or use show='tokens'",
            parameters=("show",),
        )


def read_tags(
    corpus: TokenizedCorpus, path: str | os.PathLike | None, column: int | None
) -> list[str]:
    """One tag per line of ``corpus``: a column of the raw corpus, or of a tags file.

    Args:
        path: a file with one line per corpus line; ``None`` reads the raw
            corpus ``corpus`` was tokenized from (its manifest says where).
        column: the 1-based column holding the tag; ``None`` takes whole lines
            (of ``path``).

    Raises:
        BadInputError: a missing or empty tag, or not one tag per corpus line.
    """
    if path is None:
        if column is None:
            raise BadInputError(
                "give tag_column N (a column of the raw corpus) or tags FILE",
                parameters=("tag_column", "tags"),
            )
        source = raw_corpus(corpus, column=column)
        where = f"column {column} of {', '.join(source.paths)}"
    else:
        source = read_corpus(path, column=column, normalize="none")
        where = f"{path}" + (f" column {column}" if column else "")
    source.column_parameter = "tag_column"
    expected = _count_lines(corpus)
    tags: list[str] = []
    for lineno, tag in enumerate(source.iter_raw(), start=1):
        tag = tag.strip()
        if not tag:
            raise BadInputError(f"line {lineno} of {where} has an empty tag; every line needs one")
        tags.append(tag)
        if len(tags) > expected:
            break
    if len(tags) != expected:
        raise BadInputError(
            f"{where} has {'more than ' + str(expected) if len(tags) > expected else len(tags)} "
            f"tag lines but {corpus.path} has {expected} lines; they must match line by line"
        )
    return tags


def _count_lines(corpus: TokenizedCorpus) -> int:
    if "lines" in corpus.manifest:
        return int(corpus.manifest["lines"])
    with open(corpus.path, "rb") as handle:
        return sum(1 for _ in handle)


def documents_meta(rows: str, count: int, show: str, **more: Any) -> dict:
    """The ``documents`` section of a document model's metadata."""
    return {DOCUMENTS: {"rows": rows, "count": int(count), "shows": show, **more}}
