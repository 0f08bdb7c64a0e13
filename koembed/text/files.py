"""Opening text files: compressed or plain, their encoding, and what to say when it is wrong."""

from __future__ import annotations

import bz2
import codecs
import gzip
import io
import logging
import lzma
import os
import sys
import zlib
from pathlib import Path
from typing import IO

from koembed.errors import BadInputError

log = logging.getLogger(__name__)

STDIN = "-"
COMPRESSED_SUFFIXES = {".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open, ".lzma": lzma.open}
# Bytes sniffed to guess an encoding or to tell a binary file in a folder.
SNIFF_BYTES = 64 * 1024
# cp949 is Microsoft's superset of euc-kr, so it decodes both.
AUTO_ENCODINGS = ("utf-8", "cp949")
# Windows Notepad's "Unicode": lines end in two bytes, so it is refused by name.
UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)
PARQUET_SUFFIX = ".parquet"


def is_parquet(path: str) -> bool:
    """Whether ``path`` names a Parquet dataset (a folder or file ending in ``.parquet``)."""
    return path.rstrip("/").lower().endswith(PARQUET_SUFFIX)


def looks_binary(path: str) -> bool:
    """True for a file to leave out of a folder: NUL bytes in its first 8 KB.

    A compressed file that fails to decompress is not left out silently: it
    is text the user meant to include, so it is an error.

    Raises:
        BadInputError: a damaged or truncated compressed file.
    """
    raw, stream = open_binary(path)
    try:
        head = stream.read(8192)
    except (OSError, EOFError, lzma.LZMAError, zlib.error) as error:
        if raw is stream:
            return True
        raise BadInputError(
            f"{path}: compressed data is damaged or truncated ({error}); download or copy "
            f"the file again, or move it out of the folder"
        ) from None
    finally:
        stream.close()
        if raw is not None:
            raw.close()
    if head.startswith(UTF16_BOMS):
        return False  # text; reading it says what to do
    return b"\x00" in head


def open_binary(path: str) -> tuple[IO[bytes] | None, IO[bytes]]:
    """Open for reading bytes. Returns (raw file for progress, line stream)."""
    if path == STDIN:
        return None, sys.stdin.buffer
    try:
        raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    except OSError as error:
        raise BadInputError(f"cannot read {path}: {error.strerror}") from None
    opener = COMPRESSED_SUFFIXES.get(Path(path).suffix.lower())
    if opener is None:
        return raw, raw
    return raw, io.BufferedReader(opener(raw, "rb"), buffer_size=1 << 20)


def utf16_error(path: str) -> BadInputError:
    return BadInputError(
        f"{path} is UTF-16 text (Windows 'Unicode'); save it as UTF-8, "
        f"e.g. iconv -f UTF-16 -t UTF-8"
    )


def detect_encoding(path: str, stream: IO[bytes]) -> str:
    """Guess UTF-8 or cp949 from the first bytes, without consuming them."""
    if not hasattr(stream, "peek"):
        return AUTO_ENCODINGS[0]
    sample = stream.peek(SNIFF_BYTES)[:SNIFF_BYTES]
    if sample.startswith(UTF16_BOMS):
        raise utf16_error(path)
    for encoding in AUTO_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            decoder.decode(sample, final=False)  # a cut multi-byte tail is fine
        except UnicodeDecodeError:
            continue
        log.info("%s: detected encoding %s", path, encoding)
        return encoding
    raise BadInputError(
        f"{path}: not recognised as UTF-8, cp949 or euc-kr; pass encoding=NAME",
        parameters=("encoding",),
    )


def not_utf8_error(path: str | os.PathLike) -> BadInputError:
    """The error for a tokenized file that is not UTF-8, naming its first bad line.

    Called once decoding has failed, so the extra pass costs nothing otherwise.
    """
    with open(path, "rb") as handle:
        for lineno, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                return BadInputError(
                    f"{path}:{lineno}: bytes not valid in UTF-8 at column {error.start + 1}; "
                    f"a tokenized corpus is UTF-8: make it with 'koembed tokenize' (which reads "
                    f"cp949 with encoding=auto and can errors=replace)",
                    parameters=("encoding", "errors"),
                )
    return BadInputError(f"{path} is not UTF-8 text; make it with 'koembed tokenize'")
