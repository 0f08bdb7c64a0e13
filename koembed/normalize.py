"""Text normalizers: pure ``str -> str`` functions composed by name.

A normalizer chain is recorded in manifests and model directories as a list
of names, so a query is normalized exactly as the corpus was.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence

from koembed.errors import UnknownNameError

Normalizer = Callable[[str], str]

DEFAULT_CHAIN: tuple[str, ...] = ("nfc",)


def nfc(text: str) -> str:
    """Compose decomposed Hangul jamo (and everything else) into NFC.

    Text typed on macOS or copied from some PDFs stores 한 as ㅎ+ㅏ+ㄴ code
    points; without this the same word would get two vocabulary entries.
    """
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


NORMALIZERS: dict[str, Normalizer] = {
    "nfc": nfc,
}


def parse_chain(spec: str | Sequence[str] | None) -> tuple[str, ...]:
    """Turn ``"nfc,repeat"`` or ``["nfc"]`` into a validated tuple of names.

    ``None`` means the default chain; ``""`` or ``"none"`` means no
    normalization.

    Raises:
        UnknownNameError: a name is not a known normalizer.
    """
    if spec is None:
        return DEFAULT_CHAIN
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    names = [name.strip() for name in names if name.strip()]
    if names == ["none"]:
        return ()
    for name in names:
        if name not in NORMALIZERS:
            raise UnknownNameError("normalizer", name, NORMALIZERS)
    return tuple(names)


def compose(chain: Sequence[str]) -> Normalizer:
    """Return one function applying the named normalizers in order."""
    functions = [NORMALIZERS[name] for name in parse_chain(list(chain) or ["none"])]

    def normalize(text: str) -> str:
        for function in functions:
            text = function(text)
        return text

    return normalize
