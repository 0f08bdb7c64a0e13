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
import os
from importlib import metadata
from pathlib import Path
from typing import Any

from koembed.text.corpus import STDIN, Corpus
from koembed.tokenizers.spec import TextPipeline
from koembed.tokenizers.trained import (
    ARTEFACT_META,
    TrainableTokenizer,
)
from koembed.versions import __version__

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


def tokenizing_versions() -> dict[str, str]:
    versions = {"koembed": __version__}
    for name in TOKENIZING_PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def sha256_json(value: Any) -> str:
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
        "versions": tokenizing_versions(),
    }
    files = [file_fingerprint(path) for source in sources for path in source.paths]
    return {"settings": sha256_json(settings), "parts": settings_parts(settings), "files": files}


def settings_parts(settings: dict) -> dict:
    """The settings of a request as named parts, so a mismatch can say which part
    changed (the user dictionary's entries and trained inputs only by checksum)."""
    spec = settings["pipeline"]
    tokenizer = spec["tokenizer"]
    return {
        "input files": settings["input"]["paths"],
        "reading options": {
            key: value
            for key, value in settings["input"].items()
            if key not in ("paths", "normalizer")
        },
        "normalizer": list(spec["normalizer"]),
        "tokenizer": tokenizer["name"],
        "tokenizer options": tokenizer.get("options") or {},
        "user dictionary": tokenizer.get("user_dict_sha256"),
        "jamo step": bool(spec.get("jamo")),
        "text the tokenizer is trained on": (
            sha256_json(settings["fit_on"]) if settings["fit_on"] else None
        ),
        "trained tokenizer": (settings["tokenizer_model"] or {}).get("edges_sha256"),
        "package versions": settings["versions"],
    }


def request_key(request: dict) -> str:
    """One hash of settings and input fingerprints (for resume checkpoints)."""
    return sha256_json(request)


def difference(recorded: dict | None, request: dict) -> str | None:
    """Why a recorded cache entry does not match ``request`` (``None`` if it does)."""
    if not recorded:
        return "its manifest records no cache fingerprint (made by an older koembed)"
    if recorded.get("settings") != request["settings"]:
        return _changed_part(recorded.get("parts"), request["parts"])
    old = {entry["path"]: entry for entry in recorded.get("files", [])}
    for entry in request["files"]:
        before = old.get(entry["path"])
        if before is None:
            return f"input {entry['path']} is new"
        for field, what in (("size", "size"), ("mtime_ns", "time"), ("edges_sha256", "content")):
            if before.get(field) != entry[field]:
                return f"input {entry['path']} changed ({what})"
    return None


def _changed_part(recorded: dict | None, parts: dict) -> str:
    """Which named part of the settings changed, said with its old and new value."""
    if not isinstance(recorded, dict):  # recorded by a koembed that kept only the hash
        return "the tokenizer, its options or the reading options differ"
    for name, value in parts.items():
        before = recorded.get(name)
        if before == value:
            continue
        if name in ("user dictionary", "text the tokenizer is trained on", "trained tokenizer"):
            return f"the {name} changed"
        if isinstance(value, dict) and isinstance(before, dict):
            changes = [
                f"{key} {before.get(key)!r} -> {value.get(key)!r}"
                for key in sorted(set(before) | set(value))
                if before.get(key) != value.get(key)
            ]
            return f"the {name} changed ({', '.join(changes)})"
        return f"the {name} changed ({before!r} -> {value!r})"
    return "the tokenizer, its options or the reading options differ"
