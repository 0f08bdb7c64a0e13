"""The Korean benchmark files: word pairs scored by people (WS-353) and analogies.

Read into :class:`WordPair` and :class:`AnalogyItem` lists; the formats found in
the wild (comma or tab, a byte-order mark, a header, ``:`` or ``#`` sections)
are all accepted, and a malformed line is named.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from koembed.errors import BadInputError


@dataclass(frozen=True)
class WordPair:
    first: str
    second: str
    score: float
    line: int


@dataclass(frozen=True)
class AnalogyItem:
    section: str
    a: str
    b: str
    c: str
    d: str
    line: int


def read_word_pairs(path: str | os.PathLike) -> list[WordPair]:
    """Read a word-similarity file: ``word1,word2,score`` per line.

    Comma- or tab-separated; a UTF-8 byte-order mark, a header line (its score
    is not a number) and ``#`` comment lines are skipped, as WS-353 files come
    in all these forms.

    Raises:
        BadInputError: a line without two words and a numeric score.
    """
    path = Path(path)
    text = _read_text(path)
    lines = text.splitlines()
    first = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    delimiter = "\t" if "\t" in first else ","
    pairs = []
    header_seen = False
    rows = csv.reader(lines, delimiter=delimiter)
    for lineno, row in enumerate(_csv_rows(rows, path), start=1):
        if not row or not "".join(row).strip() or row[0].startswith("#"):
            continue
        if len(row) < 3:
            raise BadInputError(
                f"{path}:{lineno}: expected word1{delimiter}word2{delimiter}score, got {row!r}"
            )
        try:
            score = float(row[2])
        except ValueError:
            if not pairs and not header_seen:
                header_seen = True
                continue
            raise BadInputError(f"{path}:{lineno}: score {row[2]!r} is not a number") from None
        pairs.append(WordPair(row[0].strip(), row[1].strip(), score, lineno))
    if not pairs:
        raise BadInputError(f"{path} has no word pairs; expected lines like 호랑이,고양이,7.35")
    return pairs


def _csv_rows(rows: Iterator[list[str]], path: Path) -> Iterator[list[str]]:
    """``rows`` with the csv module's own errors (a NUL byte before Python
    3.11, a field over its size limit) as one-line errors."""
    lineno = 0
    try:
        for lineno, row in enumerate(rows, start=1):  # noqa: B007 - read after the loop
            yield row
    except csv.Error as error:
        raise BadInputError(f"{path}:{lineno + 1}: {error}") from None


def read_analogies(path: str | os.PathLike) -> list[AnalogyItem]:
    """Read an analogy file: ``a b c d`` per line, in sections.

    A section starts with ``: name`` (word2vec's format) or ``# name`` (as
    older copies of the Korean set have it).

    Raises:
        BadInputError: a line that is not four words.
    """
    path = Path(path)
    items = []
    section = "(no section)"
    for lineno, line in enumerate(_read_text(path).splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if line[0] in ":#":
            section = line[1:].strip() or section
            continue
        words = line.split()
        if len(words) != 4:
            raise BadInputError(
                f"{path}:{lineno}: expected four words 'a b c d' or a ': section' header, "
                f"got {line!r}"
            )
        items.append(AnalogyItem(section, *words, line=lineno))
    if not items:
        raise BadInputError(f"{path} has no analogy items; expected lines like '왕 여왕 남자 여자'")
    return items


def _read_text(path: Path) -> str:
    if not path.is_file():
        raise BadInputError(f"no test file at {path}")
    try:
        # utf-8-sig drops the byte-order mark the published Korean files start with.
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise BadInputError(f"{path} is not UTF-8 text") from None


def section_kind(name: str) -> str:
    """``"semantic"`` for sem* sections, ``"syntactic"`` for syn*/gram*, else ``"other"``."""
    lowered = name.lower()
    if lowered.startswith("sem"):
        return "semantic"
    if lowered.startswith(("syn", "gram")):
        return "syntactic"
    return "other"
