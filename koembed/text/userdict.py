"""One user-dictionary format for every tokenizer backend.

A UTF-8 TSV file, one entry a line::

    # comment
    가우스전자
    서울대입구역<TAB>NNP
    딥러닝<TAB>NNG<TAB>10

``word[<TAB>pos[<TAB>score]]``: POS is a Sejong-style tag (NNP by default);
score is a preference weight where higher means "prefer this word", which
each backend translates into its own terms. Each backend owns the translation
of these entries into its own dictionary.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from koembed.errors import BadInputError

log = logging.getLogger(__name__)

DEFAULT_POS = "NNP"
_POS_PATTERN = re.compile(r"^[A-Z][A-Z0-9]*(\+[A-Z][A-Z0-9]*)*$")


@dataclass(frozen=True)
class UserWord:
    word: str
    pos: str = DEFAULT_POS
    score: float | None = None


@dataclass(frozen=True)
class UserDictionary:
    """Validated user-dictionary entries, in file order."""

    entries: tuple[UserWord, ...]
    source: str | None = None

    def __len__(self) -> int:
        return len(self.entries)

    def __bool__(self) -> bool:
        return bool(self.entries)

    @property
    def words(self) -> list[str]:
        return [entry.word for entry in self.entries]

    @property
    def sha256(self) -> str:
        """Hash of the entries (not of the file), so comments don't matter."""
        canonical = json.dumps(self.to_spec()["entries"], ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def to_spec(self) -> dict:
        """A JSON-able form that travels in manifests and model directories."""
        return {
            "source": self.source,
            "entries": [[e.word, e.pos, e.score] for e in self.entries],
        }

    @classmethod
    def from_spec(cls, spec: dict | None) -> UserDictionary:
        if not spec:
            return cls(entries=())
        entries = tuple(UserWord(word, pos, score) for word, pos, score in spec["entries"])
        return cls(entries=entries, source=spec.get("source"))


def load_user_dict(path: str | os.PathLike) -> UserDictionary:
    """Read and validate a user-dictionary TSV file.

    Raises:
        BadInputError: the file is missing or unreadable, or a line cannot be
            parsed (the message names the file and the line number).
    """
    path = os.fspath(path)
    try:
        with open(path, encoding="utf-8-sig") as handle:
            return parse_user_dict(handle, source=path)
    except FileNotFoundError:
        raise BadInputError(f"user dictionary {path} does not exist; check the path") from None
    except UnicodeDecodeError:
        raise BadInputError(
            f"user dictionary {path} is not UTF-8; save it as UTF-8 (one entry a line)"
        ) from None
    except OSError as error:
        raise BadInputError(f"cannot read user dictionary {path}: {error.strerror}") from None


def parse_user_dict(lines: Iterable[str], source: str = "<user dictionary>") -> UserDictionary:
    """Parse user-dictionary lines; see the module docstring for the format."""
    entries: list[UserWord] = []
    seen: dict[str, int] = {}
    for lineno, line in enumerate(lines, start=1):
        line = line.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        entry = _parse_line(line, source, lineno)
        if entry.word in seen:
            log.warning(
                "%s:%d: %s repeats line %d; the first entry is kept",
                source,
                lineno,
                entry.word,
                seen[entry.word],
            )
            continue
        seen[entry.word] = lineno
        entries.append(entry)
    return UserDictionary(entries=tuple(entries), source=source)


def _parse_line(line: str, source: str, lineno: int) -> UserWord:
    where = f"{source}:{lineno}"
    fields = [field.strip() for field in line.split("\t")]
    if len(fields) > 3:
        raise BadInputError(
            f"{where}: {len(fields)} tab-separated fields; expected word[<TAB>pos[<TAB>score]]"
        )
    word = unicodedata.normalize("NFC", fields[0])
    if not word:
        raise BadInputError(f"{where}: the word is empty; expected word[<TAB>pos[<TAB>score]]")
    if any(char.isspace() for char in word):
        raise BadInputError(
            f"{where}: {word!r} contains a space; an entry is one token, so use a tab "
            f"between word, POS and score"
        )
    if "," in word:
        raise BadInputError(f"{where}: {word!r} contains a comma, which dictionaries cannot hold")
    pos = fields[1] if len(fields) > 1 and fields[1] else DEFAULT_POS
    if not _POS_PATTERN.match(pos):
        raise BadInputError(
            f"{where}: POS {pos!r} is not a tag like NNP, NNG or VV (upper-case letters)"
        )
    score = None
    if len(fields) > 2 and fields[2]:
        try:
            score = float(fields[2])
        except ValueError:
            raise BadInputError(f"{where}: score {fields[2]!r} is not a number") from None
        if not math.isfinite(score):
            raise BadInputError(f"{where}: score {fields[2]!r} must be a finite number")
    return UserWord(word=word, pos=pos, score=score)
