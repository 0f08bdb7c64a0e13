"""Reading with Spark: raw text files or Parquet into text lines decoded as the
local reader decodes them, and tokenized corpora into token lists."""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import numpy as np

from koembed.engines.spark.session import run_job
from koembed.errors import BadInputError
from koembed.text.corpus import STDIN, Corpus, ReadStats
from koembed.text.files import detect_encoding, is_parquet, open_binary

# Warnings name the engine, as they did when it was one module.
log = logging.getLogger("koembed.engines.spark")

# Text records end at "\n" only, as Python's binary line iteration does
# (Hadoop's default would also break at a lone "\r").
_RECORD_DELIMITER = "textinputformat.record.delimiter"
_UNSPLITTABLE = (".gz",)
_UNREADABLE = (".xz", ".lzma")
# Bytes of input per Spark task: large enough that a task's start-up is small
# beside its work, small enough that a wave of them fits the driver's memory.
SPLIT_BYTES = 8 << 20


def is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def check_readable(corpus: Corpus) -> dict[str, str]:
    """Refuse inputs Spark cannot read as the local engine does; give each file's encoding."""
    if STDIN in corpus.paths:
        raise BadInputError(
            "engine='spark' reads files, not standard input; save the input to a file",
            parameters=("engine",),
        )
    encodings = {}
    for path in corpus.paths:
        lower = path.lower()
        if lower.endswith(_UNREADABLE):
            raise BadInputError(
                f"{path}: Spark cannot read .xz files; decompress it (xz -dk) or recompress "
                f"it as .bz2, which Spark reads in parallel splits"
            )
        if is_parquet(path):
            encodings[path] = "parquet"
            continue
        if lower.endswith(_UNSPLITTABLE):
            log.warning("%s: a .gz file is read by one Spark task; .bz2 or plain text spread", path)
        encoding = corpus.encoding
        if encoding == "auto":
            if not is_local(path):
                raise BadInputError(
                    f"{path}: encoding=auto needs a local file; name one (utf-8, cp949 or euc-kr)",
                    parameters=("encoding",),
                )
            raw, stream = open_binary(path)
            try:
                encoding = detect_encoding(path, stream)
            finally:
                stream.close()
                if raw is not None:
                    raw.close()
        encodings[path] = encoding
    return encodings


def _decode_partition(
    reader: Corpus, path: str, encoding: str, index: int, records: Iterable[bytes]
) -> Iterator[str | None]:
    """Raw lines of one split -> text lines, as ``Corpus._iter_file`` gives them.

    ``None`` stands for a line the reader dropped (``--errors skip``), so the
    caller can count it.
    """
    for number, data in enumerate(records, start=1):
        where = f"split {index} line {number}" if index else str(number)
        line = reader.decode_line(data, encoding, path, where)
        if line is None:
            yield None
            continue
        if index == 0 and number == 1:
            line = line.lstrip("\ufeff")
            if reader.header:
                continue
        if reader.column is not None:
            line = reader.select_column(line, path, where)
        yield line


def _text_column(frame, path: str, column: int | None) -> str:
    """The name of a Parquet dataset's ``column`` (1-based), else of its first string column."""
    fields = [f.name for f in frame.schema.fields]
    if column is not None:
        if column > len(fields):
            raise BadInputError(
                f"{path} has {len(fields)} field(s) ({', '.join(fields)}); "
                f"column {column} was asked for",
                parameters=("column",),
            )
        return fields[column - 1]
    strings = [f.name for f in frame.schema.fields if f.dataType.typeName() == "string"]
    if not strings:
        raise BadInputError(f"{path} has no string field; pass column N", parameters=("column",))
    return strings[0]


def raw_lines(spark, corpus: Corpus, encodings: dict[str, str]):
    """One RDD of text lines (``None`` for dropped ones), files in order."""
    sc = spark.sparkContext
    # Splits of SPLIT_BYTES; one file's splits come in file order.
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(SPLIT_BYTES))
    # Executors decode and select columns with a copy of the corpus (its own stats).
    reader = dataclasses.replace(corpus, stats=ReadStats())
    parts = []
    for path in corpus.paths:
        encoding = encodings[path]
        if encoding == "parquet":
            frame = spark.read.parquet(path)
            name = _text_column(frame, path, corpus.column)
            parts.append(frame.select(name).rdd.map(lambda row: row[0] or ""))
            continue
        # The text source keeps each line's bytes as they are (the RDD text
        # reader would have replaced invalid UTF-8), so decoding follows
        # --encoding and --errors here exactly as the local reader does.
        frame = spark.read.option("lineSep", "\n").text(path)
        lines = frame.selectExpr("CAST(value AS BINARY) AS raw").rdd.map(lambda row: bytes(row[0]))
        parts.append(
            lines.mapPartitionsWithIndex(
                lambda index, records, path=path, encoding=encoding: _decode_partition(
                    reader, path, encoding, index, records
                )
            )
        )
    rdd = parts[0] if len(parts) == 1 else sc.union(parts)
    if corpus.max_lines is not None:
        # The first max_lines lines kept (a dropped line does not count, as locally).
        limit = corpus.max_lines
        rdd = rdd.zipWithIndex().filter(lambda pair: pair[1] < limit).keys()
    return rdd


def token_lists(spark, path: str | os.PathLike):
    """An RDD of token lists from a tokenized text file or Parquet dataset."""
    path = str(path)
    if is_parquet(path) or Path(path).is_dir():
        return spark.read.parquet(path).select("tokens").rdd.map(lambda row: row[0].split())
    sc = spark.sparkContext
    splits = max(2, 2 * sc.defaultParallelism)
    # Split on "\n" only and then on whitespace, as the local trainers read it.
    sc._jsc.hadoopConfiguration().set(_RECORD_DELIMITER, "\n")
    return sc.textFile(path, minPartitions=splits, use_unicode=False).map(
        lambda data: data.decode("utf-8").rstrip("\r").split()
    )


def word_counts(rdd, min_count: int) -> tuple[list[str], np.ndarray, int]:
    """Words seen ``min_count`` times or more, most frequent first (ties by word)."""
    from operator import add

    counted = rdd.flatMap(lambda tokens: tokens).map(lambda word: (word, 1)).reduceByKey(add)
    counted = counted.cache()
    total = int(run_job(lambda: counted.values().sum()))
    kept = run_job(lambda: counted.filter(lambda pair: pair[1] >= min_count).collect())
    counted.unpersist()
    kept.sort(key=lambda item: (-item[1], item[0]))
    words = [word for word, _ in kept]
    return words, np.array([count for _, count in kept], dtype=np.int64), total
