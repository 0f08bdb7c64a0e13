"""When a tokenized corpus can be reused, and where raw corpora are tokenized for training.

A tokenization is described by a *request*: how the input is read (paths,
column, encoding, normalizer, ``max_lines``...), the text pipeline (tokenizer,
options, user dictionary, jamo), what a trainable tokenizer is trained on or
loaded from, and the versions of the packages that tokenize. Its hash, the
*settings* key, is recorded in the manifest together with a fingerprint of
every input file. ``koembed tokenize`` reuses an existing output whose
manifest records the same settings and fingerprints.

A file's fingerprint is its size, its modification time (ns) and a SHA-256 of
its first and last MiB (of the whole file when it is smaller than 2 MiB).
Hashing the whole file would cost a pass over the corpus every time the cache
is consulted; any ordinary edit changes the size or the modification time, and
the edge hash catches a file replaced by another of the same size whose time
was preserved (``cp -p``, ``rsync -t``). A change that keeps size and time and
lies only in the middle of a file larger than 2 MiB is not noticed: delete
the output, or pass ``force=True`` (``--force``), after editing that way.

Standard input and remote URIs (``hdfs://``, ``s3a://``) are not
fingerprinted and never cached. A folder (a Parquet dataset) is fingerprinted
by the names, sizes and times of its files.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from koembed.corpus import STDIN, Corpus, read_corpus
from koembed.errors import BadInputError
from koembed.progress import ProgressCallback
from koembed.tokenizers.base import TextPipeline, Tokenizer, create_tokenizer
from koembed.tokenizers.trained import ARTEFACT_META, TrainableTokenizer
from koembed.versions import __version__

if TYPE_CHECKING:
    from koembed.tokenize import TokenizedCorpus

log = logging.getLogger(__name__)

CACHE_FORMAT = "koembed-cache/1"
EDGE_BYTES = 1 << 20
# Packages whose version changes tokens; other libraries (gensim...) do not.
TOKENIZING_PACKAGES = (
    "python-mecab-ko",
    "python-mecab-ko-dic",
    "konlpy",
    "kiwipiepy",
    "kiwipiepy-model",
    "soynlp",
    "sentencepiece",
    "tokenizers",
)


def file_fingerprint(path: str | os.PathLike) -> dict:
    """Size, modification time and a hash of the first and last MiB of a file."""
    path = Path(path)
    stat = path.stat()
    digest = hashlib.sha256()
    if path.is_dir():  # a Parquet dataset: its files' names, sizes and times
        files = sorted(p for p in path.rglob("*") if p.is_file())
        stats = [(str(p.relative_to(path)), p.stat().st_size, p.stat().st_mtime_ns) for p in files]
        digest.update(json.dumps(stats).encode("utf-8"))
        return {
            "path": str(path.resolve()),
            "size": sum(size for _, size, _ in stats),
            "mtime_ns": max((mtime for _, _, mtime in stats), default=stat.st_mtime_ns),
            "edges_sha256": digest.hexdigest(),
        }
    with open(path, "rb") as handle:
        if stat.st_size <= 2 * EDGE_BYTES:
            digest.update(handle.read())
        else:
            digest.update(handle.read(EDGE_BYTES))
            handle.seek(-EDGE_BYTES, os.SEEK_END)
            digest.update(handle.read(EDGE_BYTES))
    return {
        "path": str(path.resolve()),
        "size": stat.st_size,
        "mtime_ns": stat.st_mtime_ns,
        "edges_sha256": digest.hexdigest(),
    }


def _versions() -> dict[str, str]:
    versions = {"koembed": __version__}
    for name in TOKENIZING_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _sha(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def tokenize_request(
    corpus: Corpus,
    pipeline: TextPipeline,
    fit_corpus: Corpus | None = None,
    tokenizer_model: str | os.PathLike | None = None,
) -> dict | None:
    """The cache record of a tokenization: ``{"settings": sha, "files": [...]}``.

    Returns ``None`` when it cannot be cached: standard input, or a trainable
    tokenizer fitted in memory (nothing on disk says what it learned).
    """
    sources = [corpus, *([fit_corpus] if fit_corpus is not None else [])]
    paths = [path for source in sources for path in source.paths]
    if STDIN in paths or any("://" in path for path in paths):
        return None  # standard input, or a remote URI Spark reads
    tokenizer = pipeline.tokenizer
    model = None
    if tokenizer_model is not None:
        model = file_fingerprint(Path(tokenizer_model) / ARTEFACT_META)
    elif isinstance(tokenizer, TrainableTokenizer) and fit_corpus is None:
        return None
    settings = {
        "format": CACHE_FORMAT,
        "input": corpus.describe(),
        "pipeline": pipeline.spec(),
        "fit_on": fit_corpus.describe() if fit_corpus is not None else None,
        "tokenizer_model": model,
        "versions": _versions(),
    }
    files = [file_fingerprint(path) for source in sources for path in source.paths]
    return {"settings": _sha(settings), "files": files}


def request_key(request: dict) -> str:
    """One hash of settings and input fingerprints (for resume checkpoints)."""
    return _sha(request)


def difference(recorded: dict | None, request: dict) -> str | None:
    """Why a recorded cache entry does not match ``request`` (``None`` if it does)."""
    if not recorded:
        return "its manifest records no cache fingerprint (made by an older koembed)"
    if recorded.get("settings") != request["settings"]:
        return "the tokenizer, its options or the reading options differ"
    old = {entry["path"]: entry for entry in recorded.get("files", [])}
    for entry in request["files"]:
        before = old.get(entry["path"])
        if before is None:
            return f"input {entry['path']} is new"
        for field, what in (("size", "size"), ("mtime_ns", "time"), ("edges_sha256", "content")):
            if before.get(field) != entry[field]:
                return f"input {entry['path']} changed ({what})"
    return None


def cache_root() -> Path:
    """Where ``koembed train --tokenizer`` keeps tokenized corpora."""
    from koembed.tokenizers.mecab import cache_dir

    return cache_dir() / "tokenized"


def cached_tokens_path(request: dict, corpus: Corpus, root: str | os.PathLike | None) -> Path:
    """The tokenized file for ``request`` under ``root`` (default :func:`cache_root`).

    One slot per settings key: a changed input file is re-tokenized into the
    same slot, so stale copies do not pile up.
    """
    stem = Path(corpus.paths[0]).name.split(".")[0] or "corpus"
    root = Path(root) if root is not None else cache_root()
    return root / request["settings"][:16] / f"{stem}.tokens"


def tokenize_cached(
    corpus: Corpus | str | os.PathLike | Sequence[str],
    *,
    tokenizer: str | Tokenizer = "mecab",
    user_dict: str | os.PathLike | None = None,
    workers: int | None = None,
    cache_dir: str | os.PathLike | None = None,
    progress: ProgressCallback | None = None,
    **tokenizer_options: Any,
) -> TokenizedCorpus:
    """Tokenize a raw corpus into the cache, or reuse the copy already there.

    The tokenized file goes to ``cache_dir`` (default :func:`cache_root`), in
    a folder named by the settings key. An interrupted run continues where it
    stopped the next time (it runs with ``resume``).

    Raises:
        BadInputError: standard input (it cannot be cached: tokenize it first
            with ``koembed tokenize``), or bad input or options.
    """
    from koembed.tokenize import _fit_corpus, tokenize_corpus

    if not isinstance(corpus, Corpus):
        corpus = read_corpus(corpus)
    if not isinstance(tokenizer, Tokenizer):
        tokenizer = create_tokenizer(tokenizer, user_dict=user_dict, **tokenizer_options)
    elif user_dict is not None or tokenizer_options:
        raise BadInputError("pass user_dict and options to create_tokenizer, not here")
    pipeline = TextPipeline(tokenizer, corpus.normalizer)
    request = tokenize_request(corpus, pipeline, _fit_corpus(corpus, tokenizer, None))
    if request is None:
        raise BadInputError(
            "a raw corpus read from standard input cannot be tokenized on the way to "
            "training (it cannot be read twice); tokenize it first with 'koembed tokenize'"
        )
    path = cached_tokens_path(request, corpus, cache_dir)
    log.info("tokenized corpus: %s", path)
    return tokenize_corpus(
        corpus,
        path,
        tokenizer=tokenizer,
        workers=workers,
        overwrite=True,
        resume=True,
        progress=progress,
    )
