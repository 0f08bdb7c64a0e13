"""``koembed corpus prepare kowiki``: a Wikipedia dump to one paragraph (or
sentence) a line.

The dump (``kowiki-YYYYMMDD-pages-articles.xml.bz2``, or the XML itself) is
streamed with the standard library's incremental XML parser: pages are read
one at a time and cleared, so memory stays flat for the 1 GB dump. Articles
are the pages of namespace 0 that are not redirects; their wikitext becomes
plain text in :mod:`koembed.text.wikitext`, in worker processes with
``workers`` > 1 (batches of pages, written in dump order, so the output is
the same for any number of workers).
"""

from __future__ import annotations

import bz2
import gzip
import logging
import multiprocessing
import os
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from koembed.errors import BadInputError
from koembed.outputs import atomic_output, check_output
from koembed.progress import ProgressCallback, report
from koembed.text.wikitext import split_sentences, wikitext_paragraphs

log = logging.getLogger(__name__)

BATCH_PAGES = 200  # pages a worker cleans at once


@dataclass
class PrepareSummary:
    """What ``prepare_wikipedia`` read and wrote."""

    path: Path
    pages: int  # every page in the dump
    articles: int  # namespace 0, not redirects, with text left after cleaning
    redirects: int
    lines: int
    bytes_read: int  # of the dump file (compressed, as on disk)


def _decompressed(raw):
    """The dump's XML: through bz2 or gzip when the file starts like one."""
    magic = raw.read(3)
    raw.seek(0)
    if magic == b"BZh":
        return bz2.BZ2File(raw)
    if magic[:2] == b"\x1f\x8b":
        return gzip.GzipFile(fileobj=raw)
    return raw


def check_dump(path: str | os.PathLike) -> Path:
    """``path`` if it is a non-empty file.

    Raises:
        BadInputError: it is missing, a folder or empty.
    """
    path = Path(path)
    if not path.is_file():
        what = "is a folder" if path.is_dir() else "does not exist"
        raise BadInputError(f"dump {path} {what}; give the dump file's path")
    if path.stat().st_size == 0:
        raise BadInputError(f"dump {path} is empty; download it again")
    return path


def parse_page_record(record: str) -> tuple[str, int, bool, str] | None:
    """One ``<page>`` of a dump cut at each ``</page>`` (as Spark reads it):
    (title, namespace, is_redirect, wikitext), or None for the text after the
    last page.

    Raises:
        BadInputError: the record holds a page that is not well-formed XML.
    """
    start = record.find("<page>")
    if start < 0:
        return None
    try:
        page = ElementTree.fromstring(record[start:] + "</page>")
    except ElementTree.ParseError as error:
        raise BadInputError(f"a page of the dump is not well-formed XML ({error})") from None
    fields = {child.tag.rpartition("}")[2]: child for child in page}
    return _page_fields(fields)


def _page_fields(fields: dict) -> tuple[str, int, bool, str]:
    revision = fields.get("revision")
    text = ""
    if revision is not None:
        for child in revision:
            if child.tag.endswith("text"):
                text = child.text or ""
    namespace = fields.get("ns")
    return (
        (fields["title"].text or "") if "title" in fields else "",
        int(namespace.text) if namespace is not None and namespace.text else 0,
        "redirect" in fields,
        text,
    )


def iter_pages(path: str | os.PathLike) -> Iterator[tuple[str, int, bool, str, int]]:
    """Every page of a MediaWiki XML dump: (title, namespace, is_redirect,
    wikitext, bytes of the dump file read so far).

    Raises:
        BadInputError: the file is missing, not a MediaWiki XML dump, or truncated.
    """
    path = check_dump(path)
    with open(path, "rb") as raw:
        yield from _pages(_decompressed(raw), raw, path)


def _pages(stream, raw, path: Path) -> Iterator[tuple[str, int, bool, str, int]]:
    seen_root = False
    try:
        for event, element in ElementTree.iterparse(stream, events=("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if event == "start":
                if not seen_root:
                    seen_root = True
                    if tag != "mediawiki":
                        raise BadInputError(
                            f"{path} is XML but not a MediaWiki export (its root is <{tag}>, "
                            f"not <mediawiki>); give a pages-articles dump"
                        )
                continue
            if tag != "page":
                continue
            fields = {child.tag.rpartition("}")[2]: child for child in element}
            yield (*_page_fields(fields), raw.tell())
            element.clear()
    except ElementTree.ParseError as error:
        if "no element found" in str(error) or "unclosed token" in str(error):
            raise truncated_error(path) from None
        raise BadInputError(
            f"{path} is not a MediaWiki XML dump ({error}); give kowiki-YYYYMMDD-pages-"
            f"articles.xml.bz2 or the XML inside it"
        ) from None
    except (EOFError, OSError) as error:
        if isinstance(error, EOFError) or "end-of-stream" in str(error) or "invalid" in str(error):
            raise truncated_error(path) from None
        raise BadInputError(f"cannot read dump {path}: {error}") from None


def truncated_error(path: Path) -> BadInputError:
    return BadInputError(
        f"dump {path} ends early (truncated: the download stopped?); fetch it again "
        f"(koembed corpus download kowiki resumes it)"
    )


def clean_pages(pages: list[tuple[str, str]], sentences: bool) -> list[list[str]]:
    """Each page's lines: its paragraphs, or their sentences."""
    out = []
    for _title, text in pages:
        paragraphs = wikitext_paragraphs(text)
        if sentences:
            paragraphs = [s for paragraph in paragraphs for s in split_sentences(paragraph)]
        out.append(paragraphs)
    return out


def _clean_batch(batch: tuple[list[tuple[str, str]], bool]) -> list[list[str]]:
    return clean_pages(*batch)


def prepare_wikipedia(
    dump: str | os.PathLike,
    output: str | os.PathLike,
    *,
    sentences: bool = False,
    workers: int = 1,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
) -> PrepareSummary:
    """Write the articles of a Wikipedia dump as plain text, one paragraph a line
    (one sentence a line with ``sentences``).

    Raises:
        BadInputError: a missing, truncated or non-MediaWiki dump; ``workers`` < 1.
        OutputExistsError: ``output`` exists and ``overwrite`` is false.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise BadInputError(f"workers({workers}) must be >= 1", parameters=("workers",))
    dump = Path(dump)
    target = check_output(output, overwrite=overwrite, inputs=[dump])
    total = dump.stat().st_size if dump.is_file() else 0
    counts = {"pages": 0, "articles": 0, "redirects": 0, "lines": 0, "read": 0}

    def batches() -> Iterator[tuple[list[tuple[str, str]], bool]]:
        batch: list[tuple[str, str]] = []
        for title, namespace, redirect, text, done in iter_pages(dump):
            counts["pages"] += 1
            counts["read"] = done
            if redirect:
                counts["redirects"] += 1
            elif namespace == 0 and text:
                batch.append((title, text))
            if len(batch) >= BATCH_PAGES:
                yield batch, sentences
                batch = []
        if batch:
            yield batch, sentences

    with atomic_output(target) as temporary, open(temporary, "w", encoding="utf-8") as out:
        if workers == 1:
            results: Iterator[list[list[str]]] = map(_clean_batch, batches())
            _write(results, out, counts, total, progress)
        else:
            context = multiprocessing.get_context("spawn")
            with context.Pool(workers) as pool:
                _write(pool.imap(_clean_batch, batches()), out, counts, total, progress)
    report(progress, "prepare kowiki", counts["read"], total, "bytes", finished=True)
    log.info("%s: %d articles of %d pages, %d lines", target, counts["articles"],
             counts["pages"], counts["lines"])  # fmt: skip
    return PrepareSummary(
        target, counts["pages"], counts["articles"], counts["redirects"], counts["lines"],
        counts["read"],
    )  # fmt: skip


def _write(results, out, counts: dict, total: int, progress: ProgressCallback | None) -> None:
    for pages in results:
        for lines in pages:
            if lines:
                counts["articles"] += 1
                counts["lines"] += len(lines)
                out.write("\n".join(lines) + "\n")
        report(progress, "prepare kowiki", counts["read"], total, "bytes",
               {"articles": counts["articles"]})  # fmt: skip
