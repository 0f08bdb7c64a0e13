"""Tokenizing in Spark partitions: each rebuilds the text pipeline from its
spec and tokenizes its lines; the partitions come back in order into the
tokenized file, or the executors write a Parquet dataset."""

from __future__ import annotations

import json
import logging
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from koembed.engines.base import TokenizeJob
from koembed.engines.pool import tokenize_batch
from koembed.engines.spark.read import check_readable, is_local, raw_lines
from koembed.engines.spark.session import partitions_in_order, run_job, session, ship_folder
from koembed.progress import report
from koembed.tokenizers.spec import TextPipeline
from koembed.tokenizers.trained import with_model

_BATCH = 2000
_pipelines: dict[str, Any] = {}


def _pipeline(spec_json: str, shipped: str | None):
    """The partition's pipeline, built once per Python worker and spec."""
    pipeline = _pipelines.get(spec_json)
    if pipeline is None:
        logging.getLogger("koembed").setLevel(logging.ERROR)
        spec = json.loads(spec_json)
        if shipped is not None:
            from pyspark import SparkFiles

            spec = with_model(spec, SparkFiles.get(shipped))
        pipeline = TextPipeline.from_spec(spec)
        pipeline.tokenizer.prepare()
        _pipelines.clear()
        _pipelines[spec_json] = pipeline
    return pipeline


def _tokenize_partition(
    spec_json: str, shipped: str | None, lines: Iterable[str | None]
) -> Iterator[tuple[str, int, int, int, int]]:
    """(text, lines, tokens, empty, dropped) a batch at a time."""
    pipeline = _pipeline(spec_json, shipped)
    batch: list[str] = []
    dropped = 0
    for line in lines:
        if line is None:
            dropped += 1
            continue
        batch.append(line)
        if len(batch) == _BATCH:
            yield _batch_result(pipeline, batch, dropped)
            batch = []
            dropped = 0
    if batch or dropped:
        yield _batch_result(pipeline, batch, dropped)


def _batch_result(pipeline: TextPipeline, batch: list[str], dropped: int):
    text, tokens, empty = tokenize_batch(pipeline, batch)
    return text, len(batch), tokens, empty, dropped


def _ship_model(spark, spec: dict) -> tuple[dict, str | None]:
    """Ship a trained tokenizer's folder with the job; the spec then names it."""
    model = spec.get("tokenizer", {}).get("model")
    if model is None:
        return spec, None
    return spec, ship_folder(spark, Path(model))


def tokenize(job: TokenizeJob) -> dict[str, int]:
    """Tokenize ``job.corpus`` in Spark partitions into ``job.target``, the lines in order.

    With ``job.parquet``, the executors write a Parquet dataset with one
    string column ``tokens`` instead of the driver writing a file.

    Returns:
        counts: lines, tokens, empty (and sets ``corpus.stats``).

    Raises:
        BadInputError: an input Spark cannot read as koembed does, or bad lines.
    """
    corpus = job.corpus
    encodings = check_readable(corpus)
    spark = session()
    spec, shipped = _ship_model(spark, job.spec)
    spec_json = json.dumps(spec, ensure_ascii=False)
    batches = raw_lines(spark, corpus, encodings).mapPartitions(
        lambda lines: _tokenize_partition(spec_json, shipped, lines)
    )
    if job.parquet:
        counts, dropped = _write_parquet(spark, batches, job.target)
    else:
        with open(job.target, "w", encoding="utf-8", newline="\n") as sink:
            counts, dropped = _write_in_order(spark, batches, sink, job.progress)
    corpus.stats.files = len(corpus.paths)
    corpus.stats.lines = counts["lines"]
    corpus.stats.bad_lines = dropped if corpus.errors == "skip" else 0
    corpus.stats.encodings = {p: e for p, e in encodings.items() if e != "parquet"}
    corpus.stats.bytes_read = sum(
        os.path.getsize(p) for p in corpus.paths if is_local(p) and os.path.isfile(p)
    )
    return counts


def _write_parquet(spark, batches, target: Path) -> tuple[dict[str, int], int]:
    """The executors write the lines as a Parquet dataset; (counts, dropped lines)."""
    from pyspark.sql.types import StringType, StructField, StructType

    totals = [spark.sparkContext.accumulator(0) for _ in range(4)]

    def lines_of(batch):
        for total, value in zip(totals, batch[1:]):
            total.add(value)
        return batch[0].split("\n")[:-1] if batch[0] else []

    texts = batches.flatMap(lines_of).map(lambda text: (text,))
    schema = StructType([StructField("tokens", StringType(), False)])
    frame = spark.createDataFrame(texts, schema)
    run_job(lambda: frame.write.mode("overwrite").parquet(str(target)))
    counts = dict(zip(("lines", "tokens", "empty"), (int(t.value) for t in totals)))
    return counts, int(totals[3].value)


def _write_in_order(spark, batches, sink, progress) -> tuple[dict[str, int], int]:
    """Bring the partitions back in order into ``sink``; (counts, dropped lines).

    Partitions run in waves of a few per core (``session.partitions_in_order``):
    the driver holds one wave, never the corpus.
    """
    counts = {"lines": 0, "tokens": 0, "empty": 0}
    dropped = 0
    started = time.monotonic()
    for results, done, total in partitions_in_order(batches):
        for text, lines, tokens, empty, bad in results:
            sink.write(text)
            counts["lines"] += lines
            counts["tokens"] += tokens
            counts["empty"] += empty
            dropped += bad
        info = {**counts, "seconds": time.monotonic() - started}
        report(progress, "tokenize (spark)", done, total, "partitions", info)
    return counts, dropped
