"""A tokenized corpus: the file of space-separated tokens and its manifest.

The file is the format word2vec tools read: one sentence a line, tokens
separated by single spaces. Beside it, ``<file>.manifest.json`` records the
input, the normalizer and tokenizer (with the user dictionary), and counts,
so models trained on it can tokenize queries the same way.
"""

from __future__ import annotations

import json
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from koembed.errors import BadInputError
from koembed.resources import read_json_object
from koembed.tokenizers.base import create_tokenizer
from koembed.tokenizers.spec import TextPipeline
from koembed.tokenizers.trained import (
    model_dir,
    with_model,
)

MANIFEST_SUFFIX = ".manifest.json"

log = logging.getLogger(__name__)


MANIFEST_FORMAT = "koembed-tokenized/1"


def manifest_path(path: str | os.PathLike) -> Path:
    return Path(f"{os.fspath(path)}{MANIFEST_SUFFIX}")


@dataclass
class TokenizedCorpus:
    """A tokenized corpus file: re-iterable lists of tokens, plus its manifest.

    Open one with :func:`open_tokenized`. A file made elsewhere (space-separated
    tokens, no manifest) works too; its queries are then split on spaces.
    """

    path: Path
    manifest: dict
    #: True when ``tokenize_corpus`` found this output up to date and reused it.
    reused: bool = False

    def __iter__(self) -> Iterator[list[str]]:
        with open(self.path, encoding="utf-8") as handle:
            for line in handle:
                yield line.split()

    @property
    def pipeline_spec(self) -> dict:
        """How raw text became these tokens (normalizer + tokenizer spec).

        A trained tokenizer's folder, stored relative to the manifest, is
        given here as an absolute path, so the spec works from anywhere.
        """
        spec = self.manifest["pipeline"]
        folder = model_dir(spec, self.path.parent)
        return spec if folder is None else with_model(spec, folder.resolve())

    def pipeline(self) -> TextPipeline:
        return TextPipeline.from_spec(self.pipeline_spec)


def open_tokenized(path: str | os.PathLike) -> TokenizedCorpus:
    """Open a tokenized corpus and check its manifest against the file.

    Raises:
        BadInputError: the file is missing or empty, or its manifest does not
            match it (an interrupted or edited output).
    """
    path = Path(path)
    if path.is_dir() and storage_of(path) == "parquet":
        # A Parquet dataset written by --engine spark: for the Spark trainers.
        manifest = json.loads(manifest_path(path).read_text(encoding="utf-8"))
        return TokenizedCorpus(path=path, manifest=manifest)
    if path.is_dir():
        raise BadInputError(
            f"{path} is a folder; pass the tokenized file made by 'koembed tokenize'"
        )
    if not path.exists():
        raise BadInputError(
            f"tokenized corpus {path} does not exist; make it with 'koembed tokenize'"
        )
    meta_path = manifest_path(path)
    if meta_path.exists():
        manifest = read_json_object(meta_path, "the manifest is damaged: tokenize the corpus again")
        if manifest.get("bytes") != path.stat().st_size:
            raise BadInputError(
                f"{path} does not match its manifest ({manifest.get('bytes')} bytes recorded, "
                f"{path.stat().st_size} found); tokenize it again, replacing it"
            )
    else:
        log.info("%s has no manifest; treating it as space-separated tokens", path)
        manifest = {
            "format": MANIFEST_FORMAT,
            "input": {"paths": [str(path.resolve())]},
            "pipeline": TextPipeline(create_tokenizer("whitespace")).spec(),
            "bytes": path.stat().st_size,
        }
    if path.stat().st_size == 0:
        raise BadInputError(f"tokenized corpus {path} is empty; tokenize a non-empty corpus")
    _check_plain_text(path)
    folder = model_dir(manifest.get("pipeline", {}), path.parent)
    if folder is not None and not folder.is_dir():
        # Checked now: a model trained on this corpus must carry the folder.
        raise BadInputError(
            f"{path} was tokenized by a trained tokenizer whose folder {folder} is missing; "
            f"keep that folder beside the file, or re-run 'koembed tokenize'"
        )
    return TokenizedCorpus(path=path, manifest=manifest)


# Leading bytes of compressed files: gensim and the counters read plain text only.
_COMPRESSED_MAGIC = {
    b"\x1f\x8b": "gzip",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"PK\x03\x04": "zip",
    b"\x28\xb5\x2f\xfd": "zstd",
}


_SNIFF_BYTES = 64 * 1024


def _check_plain_text(path: Path) -> None:
    """Refuse a compressed or binary file, or one without a single token.

    Reads the first 64 KB (further only while the file is blank).
    """
    with open(path, "rb") as handle:
        block = handle.read(_SNIFF_BYTES)
        for magic, kind in _COMPRESSED_MAGIC.items():
            if block.startswith(magic):
                raise BadInputError(
                    f"{path} is {kind}-compressed, but training reads a plain tokenized file; "
                    f"decompress it, or tokenize the raw corpus with 'koembed tokenize'"
                )
        if b"\x00" in block:
            raise BadInputError(
                f"{path} looks like a binary file (it holds NUL bytes), not a tokenized corpus; "
                f"pass the file written by 'koembed tokenize'"
            )
        # Undecodable bytes count as tokens here; training names their line.
        while not block.decode("utf-8", errors="replace").split():
            block = handle.read(1 << 20)
            if not block:
                raise BadInputError(
                    f"tokenized corpus {path} holds no tokens (only blank lines); "
                    f"tokenize a non-empty corpus"
                )


def storage_of(path: Path) -> str | None:
    try:
        return json.loads(manifest_path(path).read_text(encoding="utf-8")).get("storage")
    except (OSError, ValueError, UnicodeDecodeError, AttributeError):
        return None
