"""Versions of koembed and the libraries it used, recorded with every output."""

from __future__ import annotations

import platform
from importlib import metadata

try:
    __version__ = metadata.version("koembed")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+source"

_TRACKED = ("numpy", "gensim", "python-mecab-ko", "python-mecab-ko-dic", "konlpy", "scipy")


def library_versions() -> dict[str, str]:
    """koembed, Python and the installed libraries that shape results."""
    versions = {"koembed": __version__, "python": platform.python_version()}
    for name in _TRACKED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions
