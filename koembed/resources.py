"""What this machine offers koembed: its cache folder, its memory, file checksums,
and koembed's own metadata files read back.

Small helpers that several layers need, kept here at the bottom so none of
them has to reach into another's module for them.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

from koembed.errors import BadInputError

GIB = 1024**3
_READ_BYTES = 1 << 20


def cache_dir() -> Path:
    """Where koembed caches what it can rebuild (``KOEMBED_CACHE`` overrides):
    compiled user dictionaries, tokenized corpora, the shell's history."""
    root = os.environ.get("KOEMBED_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "koembed"
    )
    return Path(root)


def ram_gib() -> float | None:
    """This machine's RAM in GiB, or ``None`` where it cannot be told."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / GIB
    except (ValueError, OSError, AttributeError):
        return None


def sha256_file(path: str | os.PathLike) -> str:
    """The SHA-256 of a whole file, read a MiB at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while block := handle.read(_READ_BYTES):
            digest.update(block)
    return digest.hexdigest()


def read_json_object(
    path: str | os.PathLike, remedy: str, what: str = "an object"
) -> dict[str, Any]:
    """The JSON object in the file at ``path`` (koembed's metadata files).

    Raises:
        BadInputError: it is not UTF-8 JSON holding an object (``what`` it
            should hold); the message ends with ``remedy`` (what to do, e.g.
            "train the model again").
    """
    try:
        value = json.loads(Path(path).read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise BadInputError(f"{path} is not valid JSON; {remedy}") from None
    if not isinstance(value, dict):
        raise BadInputError(f"{path} holds a JSON {type(value).__name__}, not {what}; {remedy}")
    return value
