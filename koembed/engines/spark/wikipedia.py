"""``koembed corpus prepare kowiki --engine spark``: the dump's pages cleaned by Spark tasks.

Hadoop's text input format reads the dump with ``</page>`` as the record
delimiter, so each record is one page, and a bz2 dump (which Hadoop can
split at its compression blocks) is read by many tasks at once, from
storage every executor sees. The tasks clean their pages as the local
engine does (:func:`koembed.text.wikipedia.clean_pages`); the driver writes
their lines in dump order, so the text is the local engine's.
"""

from __future__ import annotations

import os
from pathlib import Path

from koembed.engines.spark import session
from koembed.errors import BadInputError, KoembedError
from koembed.outputs import atomic_output, check_output
from koembed.progress import ProgressCallback, report
from koembed.text.wikipedia import (
    PrepareSummary,
    check_dump,
    clean_pages,
    parse_page_record,
    truncated_error,
)

INPUT_FORMAT = "org.apache.hadoop.mapreduce.lib.input.TextInputFormat"
MAX_SPLIT = 16 << 20


def _page(record: str, sentences: bool) -> tuple[str, list[str]]:
    """A record's kind (``article``, ``redirect``, ``other`` or ``none``) and its lines."""
    page = parse_page_record(record)
    if page is None:
        return "none", []
    title, namespace, redirect, text = page
    if redirect:
        return "redirect", []
    if namespace != 0 or not text:
        return "other", []
    return "article", clean_pages([(title, text)], sentences)[0]


def prepare_wikipedia(
    dump: str | os.PathLike,
    output: str | os.PathLike,
    *,
    sentences: bool = False,
    workers: int = 1,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
    split_bytes: int | None = None,
) -> PrepareSummary:
    """As :func:`koembed.text.wikipedia.prepare_wikipedia`, on Spark
    (``workers`` is the local engine's; Spark decides its tasks;
    ``split_bytes``: the largest input split, by default four per core).

    Raises:
        BadInputError: a missing or empty dump, or a page that is not XML.
        KoembedError: the Spark job failed (e.g. a truncated bz2 stream).
    """
    dump = check_dump(dump)
    target = check_output(output, overwrite=overwrite, inputs=[dump])
    context = session.session().sparkContext
    # Hadoop's default split is 32 MB or more: a dump smaller than that would be
    # one task. Four splits per core, from 1 MB (bz2 splits at its blocks) to
    # 16 MB (the driver holds a wave of partitions' text: see _write_in_order).
    per_core = dump.stat().st_size // (4 * context.defaultParallelism)
    split = split_bytes or min(MAX_SPLIT, max(1 << 20, per_core))
    conf = {
        "textinputformat.record.delimiter": "</page>",
        "mapreduce.input.fileinputformat.split.maxsize": str(split),
    }
    try:
        return _prepare(context, dump, target, conf, bool(sentences), progress)
    except KoembedError as error:
        if "end of stream" in str(error):  # Hadoop's words for a truncated bz2 stream
            raise truncated_error(dump) from None
        raise


def _prepare(context, dump: Path, target: Path, conf: dict, sentences: bool, progress):
    # PySpark reads a first record here already: a damaged dump can fail at once.
    records = session.run_job(
        lambda: context.newAPIHadoopFile(
            dump.resolve().as_uri(),
            INPUT_FORMAT,
            "org.apache.hadoop.io.LongWritable",
            "org.apache.hadoop.io.Text",
            conf=conf,
        )
    )
    counts = {"article": 0, "redirect": 0, "other": 0, "none": 0, "lines": 0}
    total = dump.stat().st_size
    with atomic_output(target) as temporary, open(temporary, "w", encoding="utf-8") as out:
        cleaned = records.map(lambda pair: _page(pair[1], sentences))
        _write_in_order(cleaned, out, counts, progress)
        if counts["article"] + counts["redirect"] + counts["other"] == 0:
            raise BadInputError(f"{dump} holds no <page>; give a pages-articles dump")
    report(progress, "prepare kowiki", total, total, "bytes", finished=True)
    pages_seen = counts["article"] + counts["redirect"] + counts["other"]
    return PrepareSummary(
        Path(target), pages_seen, counts["article"], counts["redirect"], counts["lines"], total
    )


def _write_in_order(cleaned, out, counts: dict, progress) -> None:
    """Bring the partitions back in dump order into ``out``, a wave at a time
    (``session.partitions_in_order``), as the Spark tokenizer does."""
    for results, done, total in session.partitions_in_order(cleaned):
        for kind, lines in results:
            if kind == "article" and not lines:
                kind = "other"  # an article with no text left after cleaning
            counts[kind] += 1
            if lines:
                counts["lines"] += len(lines)
                out.write("\n".join(lines) + "\n")
        report(progress, "prepare kowiki", done, total, "partitions",
               {"articles": counts["article"]})  # fmt: skip
