"""Streamed, re-iterable corpus readers.

``read_corpus`` resolves what the user named (files, folders, globs, ``-``
for standard input), checks it, and returns a ``Corpus`` that yields one
normalized line at a time. Nothing is loaded whole; iterating again reads the
files again.
"""

from __future__ import annotations

import codecs
import csv
import glob
import logging
import lzma
import os
import sys
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from koembed.errors import BadInputError, UnknownNameError
from koembed.text.files import (
    STDIN,
    UTF16_BOMS,
    detect_encoding,
    is_parquet,
    looks_binary,
    open_binary,
    utf16_error,
)
from koembed.text.normalize import compose, parse_chain

log = logging.getLogger(__name__)

PathLike = str | os.PathLike

ERROR_POLICIES = ("strict", "replace", "skip")
BUNDLED = {
    "kolaw": "Constitution of the Republic of Korea (konlpy's kolaw corpus, 356 lines)",
    "kobill": "Ten Korean National Assembly bills (konlpy's kobill corpus, 4,211 lines)",
}


@dataclass
class ReadStats:
    """What the last pass over a corpus saw; filled in while iterating."""

    files: int = 0
    lines: int = 0
    bad_lines: int = 0
    bytes_read: int = 0
    encodings: dict[str, str] = field(default_factory=dict)


@dataclass
class Corpus:
    """A re-iterable stream of text lines. Build it with :func:`read_corpus`.

    Iterating yields each line as ``str`` without its newline, with the
    ``normalizer`` chain applied. ``iter_raw`` skips normalization, for
    callers that normalize elsewhere (the parallel tokenizer does it in its
    worker processes).
    """

    paths: tuple[str, ...]
    column: int | None = None
    delimiter: str = "\t"
    header: bool = False
    encoding: str = "utf-8"
    errors: str = "strict"
    normalizer: tuple[str, ...] = ("nfc",)
    max_lines: int | None = None
    stats: ReadStats = field(default_factory=ReadStats, compare=False, repr=False)
    #: What the user named (folders, globs...), which no output may fall inside.
    sources: tuple[str, ...] = field(default=(), compare=False, repr=False)
    #: The parameter that chose ``column``, as messages name it: another one
    #: (``label_column``) when a caller reads a column for a parameter of its own.
    column_parameter: str = field(default="column", compare=False, repr=False)
    _stdin_used: bool = field(default=False, compare=False, repr=False)

    def __iter__(self) -> Iterator[str]:
        normalize = compose(self.normalizer)
        for line in self.iter_raw():
            yield normalize(line)

    @property
    def total_bytes(self) -> int | None:
        """Size on disk of all files (compressed size for compressed ones)."""
        if STDIN in self.paths or any("://" in path for path in self.paths):
            return None
        return sum(os.path.getsize(path) for path in self.paths)

    def describe(self) -> dict:
        """A JSON-able record of what was read and how (for manifests)."""
        return {
            "paths": [p if p == STDIN or "://" in p else os.path.abspath(p) for p in self.paths],
            "column": self.column,
            "delimiter": self.delimiter if self.column else None,
            "header": self.header,
            "encoding": self.encoding,
            "errors": self.errors,
            "normalizer": list(self.normalizer),
            "max_lines": self.max_lines,
        }

    def iter_raw(self) -> Iterator[str]:
        """Yield decoded lines, column-selected but not normalized."""
        if STDIN in self.paths:
            if self._stdin_used:
                raise BadInputError(
                    "standard input can only be read once; save it to a file and "
                    "pass the file instead of '-'"
                )
            self._stdin_used = True
        self.stats = ReadStats()
        remaining = self.max_lines
        for path in self.paths:
            self.stats.files += 1
            for line in self._iter_file(path):
                if remaining is not None:
                    if remaining <= 0:
                        return
                    remaining -= 1
                self.stats.lines += 1
                yield line

    # -- one file ---------------------------------------------------------

    def _iter_file(self, path: str) -> Iterator[str]:
        raw, stream = open_binary(path)
        try:
            encoding = self.encoding
            if encoding == "auto":
                encoding = detect_encoding(path, stream)
            self.stats.encodings[path] = encoding
            lineno = 0
            bytes_before = self.stats.bytes_read
            try:
                for lineno, data in enumerate(stream, start=1):
                    if raw is not None and lineno % 1024 == 0:
                        self.stats.bytes_read = bytes_before + raw.tell()
                    if lineno == 1 and data.startswith(UTF16_BOMS):
                        raise utf16_error(path)
                    line = self.decode_line(data, encoding, path, lineno)
                    if line is None:
                        continue
                    if lineno == 1:
                        line = line.lstrip("\ufeff")
                        if not data.endswith(b"\n"):
                            _warn_if_cr_only(path, data)
                        if self.header:
                            continue
                    if self.column is not None:
                        line = self.select_column(line, path, lineno)
                        if line is None:
                            continue
                    yield line
            except (EOFError, lzma.LZMAError, zlib.error, OSError) as error:
                what = (
                    "compressed data is damaged or truncated"
                    if raw is not stream
                    else "read failed"
                )
                raise BadInputError(
                    f"{path}: {what} after line {lineno} ({error}); download or copy the file again"
                ) from None
            if raw is not None:
                self.stats.bytes_read = bytes_before + raw.tell()
        finally:
            if stream is not sys.stdin.buffer:
                stream.close()
            if raw is not None:
                raw.close()

    def decode_line(self, data: bytes, encoding: str, path: str, lineno: int) -> str | None:
        """One line's bytes as text under ``errors`` (``None``: a line to skip)."""
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError as error:
            self.stats.bad_lines += 1
            if self.errors == "skip":
                return None
            if self.errors == "replace":
                text = data.decode(encoding, errors="replace")
            else:
                hint = "pass encoding=cp949 (or auto) for a Korean legacy file"
                if self.encoding == "auto":
                    hint = f"the file's first bytes looked like {encoding}; pass encoding=NAME"
                raise BadInputError(
                    f"{path}:{lineno}: bytes not valid in {encoding} at column "
                    f"{error.start + 1}; {hint}, or errors=replace|skip to go on",
                    parameters=("encoding", "errors"),
                ) from None
        return text.rstrip("\r\n")

    def select_column(self, line: str, path: str, lineno: int) -> str | None:
        """The ``column`` of a delimited line (``None``: a line to skip)."""
        if self.delimiter == "\t":
            fields = line.split("\t")
        else:
            fields = next(csv.reader([line], delimiter=self.delimiter), [])
        index = self.column - 1
        if index < len(fields):
            return fields[index]
        if not line.strip():
            return ""
        if self.errors == "skip":
            self.stats.bad_lines += 1
            return None
        if self.column_parameter != "column":
            # Read for a caller's own parameter (read_labels, doc2vec's tags): the
            # caller may take no delimiter or errors, so the delimiter is shown, not named.
            raise BadInputError(
                f"{path}:{lineno}: has {len(fields)} field(s) (split at {self.delimiter!r}) "
                f"but {self.column_parameter} {self.column} was asked for",
                parameters=(self.column_parameter,),
            )
        raise BadInputError(
            f"{path}:{lineno}: has {len(fields)} field(s) but column {self.column} "
            f"was asked for; check delimiter ({self.delimiter!r}) or pass "
            f"errors=skip to leave such lines out",
            parameters=("column", "delimiter", "errors"),
        )


def read_corpus(
    paths: PathLike | Sequence[PathLike],
    *,
    column: int | None = None,
    delimiter: str = "\t",
    header: bool = False,
    encoding: str = "utf-8",
    errors: str = "strict",
    normalize: str | Sequence[str] | None = None,
    max_lines: int | None = None,
) -> Corpus:
    """Resolve and check corpus sources; return a re-iterable :class:`Corpus`.

    Args:
        paths: a file, a folder (its text files, recursively), a glob pattern,
            ``"-"`` for standard input, a bundled corpus name (``kolaw``,
            ``kobill``), or a list of these. ``.gz``, ``.bz2``
            and ``.xz`` files are decompressed on the fly.
        column: 1-based column to take from delimited lines (e.g. ``4`` for the
            text of the NSMC reviews TSV); ``None`` takes whole lines.
        delimiter: column separator; ``"\\t"`` by default.
        header: skip the first line of each file.
        encoding: a Python codec name (``utf-8``, ``cp949``, ``euc-kr``) or
            ``"auto"`` to pick between UTF-8 and cp949 per file.
        errors: what to do with undecodable lines: ``strict`` (stop and name the
            file and line), ``replace`` or ``skip``.
        normalize: normalizer chain (default ``"nfc"``); ``"none"`` for none.
        max_lines: stop after this many lines in all.

    Raises:
        BadInputError: a source is missing or unreadable, a folder holds no text
            files, or an option is invalid.
    """
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    if not paths:
        raise BadInputError("no corpus given; pass a file, folder, glob or '-'")
    if column is not None and column < 1:
        raise BadInputError(
            f"column must be 1 or more (columns count from 1), got {column}",
            parameters=("column",),
        )
    if not delimiter:
        raise BadInputError("delimiter must not be empty", parameters=("delimiter",))
    if errors not in ERROR_POLICIES:
        raise BadInputError(
            f"errors must be one of {', '.join(ERROR_POLICIES)}, got {errors!r}",
            parameters=("errors",),
        )
    if encoding != "auto":
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise BadInputError(
                f"unknown encoding {encoding!r}; use utf-8, cp949, euc-kr or auto"
            ) from None
    if max_lines is not None and max_lines < 1:
        raise BadInputError(
            f"max_lines must be 1 or more, got {max_lines}", parameters=("max_lines",)
        )
    files: list[str] = []
    for source in paths:
        files.extend(_resolve(os.fspath(source)))
    if files.count(STDIN) > 1:
        raise BadInputError("'-' (standard input) can be given only once")
    return Corpus(
        paths=tuple(files),
        column=column,
        delimiter=delimiter,
        header=header,
        encoding=encoding,
        errors=errors,
        normalizer=parse_chain(normalize),
        max_lines=max_lines,
        sources=tuple(os.fspath(source) for source in paths),
    )


def _resolve(source: str) -> list[str]:
    if source == STDIN:
        return [STDIN]
    if any(char in source for char in "*?["):
        matches = sorted(p for p in glob.glob(source, recursive=True) if os.path.isfile(p))
        if not matches:
            raise BadInputError(f"no files match {source!r}; check the pattern")
        return [_check_readable(p) for p in matches]
    if "://" in source or is_parquet(source):
        return [source]  # a URI (hdfs://, s3a://) or a Parquet dataset: for --engine spark
    if os.path.isdir(source):
        return _text_files_in(source)
    if not os.path.exists(source):
        if source in BUNDLED:
            return bundled_paths(source)
        raise BadInputError(
            f"input {source} does not exist; check the path (or name a bundled corpus: "
            f"{', '.join(BUNDLED)})"
        )
    return [_check_readable(source)]


def _check_readable(path: str) -> str:
    if not os.access(path, os.R_OK):
        raise BadInputError(f"input {path} is not readable; check its permissions")
    return path


def _warn_if_cr_only(path: str, data: bytes) -> None:
    """Warn about a file that is one record (no line feed) with line breaks as CRs."""
    # Not split at the CRs: real corpora hold lone CRs inside lines (133 NSMC
    # reviews do), so only a file with no line feed at all gets this warning.
    breaks = data.count(b"\r")
    if breaks < 2:
        return
    log.warning(
        "%s has no line feeds but %d carriage returns (old Mac line endings?): it is read "
        "as one line; convert it first, e.g. tr '\\r' '\\n' < IN > OUT",
        path,
        breaks,
    )


def _text_files_in(folder: str) -> list[str]:
    files = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            path = os.path.join(root, name)
            if not os.path.isfile(path):
                # A FIFO or device would block or never end the binary sniff.
                log.warning("skipping %s: not a regular file", path)
                continue
            if looks_binary(path):
                # Said on every run: a file left out is text the user may miss.
                log.warning("skipping %s: it looks like a binary file, not text", path)
                continue
            files.append(_check_readable(path))
    if not files:
        raise BadInputError(
            f"folder {folder} holds no text files; put .txt (or .gz/.bz2/.xz) files in it"
        )
    return files


def bundled_paths(name: str) -> list[str]:
    """The files of a bundled konlpy corpus.

    Raises:
        UnknownNameError: not a bundled corpus.
    """
    if name not in BUNDLED:
        raise UnknownNameError("bundled corpus", name, BUNDLED)
    from konlpy.corpus import kobill, kolaw

    reader = {"kolaw": kolaw, "kobill": kobill}[name]
    return sorted(os.path.abspath(reader.abspath(fileid)) for fileid in reader.fileids())
