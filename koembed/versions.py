"""Versions of koembed and the libraries it used, recorded with every output."""

from __future__ import annotations

import platform
from importlib import metadata

try:
    __version__ = metadata.version("koembed")
except metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0.0.0+source"

# Every library whose version can change a tokenization or a vector: the
# trainers' (gensim; numba for the GloVe/PPMI kernels; scipy, scikit-learn
# and the BLAS thread limit for the SVDs) and the tokenizers'.
_TRACKED = (
    "numpy",
    "gensim",
    "scipy",
    "numba",
    "scikit-learn",
    "threadpoolctl",
    "python-mecab-ko",
    "python-mecab-ko-dic",
    "konlpy",
    "JPype1",
    "kiwipiepy",
    "kiwipiepy_model",
    "soynlp",
    "sentencepiece",
    "tokenizers",
)


def library_versions() -> dict[str, str]:
    """koembed, Python, the platform and the installed libraries that shape results."""
    versions = {
        "koembed": __version__,
        "python": platform.python_version(),
        # Floating-point results may differ across CPUs and BLAS builds.
        "platform": f"{platform.system()} {platform.machine()}",
    }
    for name in _TRACKED:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    blas = _blas()
    if blas:
        versions["blas"] = blas
    return versions


def _blas() -> str | None:
    """The BLAS numpy runs on (the SVDs' results depend on it), if it can be told."""
    try:
        import numpy  # noqa: F401 - loaded, so its BLAS is visible
        from threadpoolctl import threadpool_info
    except ImportError:
        return None
    found = [
        f"{info.get('internal_api')} {info.get('version')}"
        for info in threadpool_info()
        if info.get("user_api") == "blas"
    ]
    return ", ".join(sorted(set(found))) or None
