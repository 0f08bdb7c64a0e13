"""Embedding texts in Spark: Arrow batches of lines (``mapInPandas``) go through
the document model on the executors, which write a Parquet dataset (id, vector).

The model directory travels with the job (:func:`~koembed.engines.spark.session.ship_folder`),
so the executors need not share a filesystem with the driver; each Python worker
loads it once (memory-mapped) and embeds a batch of texts at a time, exactly
as ``koembed embed`` does on this machine.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import numpy as np

from koembed.engines.base import EmbedCounts, EmbedJob
from koembed.engines.spark.read import check_readable, raw_lines
from koembed.engines.spark.session import run_job, session, ship_folder
from koembed.models.directory import load
from koembed.progress import report

EXAMPLES = 10  # ids of empty texts kept for the summary
_models: dict[str, Any] = {}


def _model(shipped: str):
    """The document model shipped with the job, loaded once per Python worker."""
    model = _models.get(shipped)
    if model is None:
        from pyspark import SparkFiles

        logging.getLogger("koembed").setLevel(logging.ERROR)
        model = load(SparkFiles.get(shipped))
        _models.clear()
        _models[shipped] = model
    return model


def _embed_batches(shipped: str, pretokenized: bool, rows, empty):
    """The ``mapInPandas`` function: (id, text) batches -> (id, vector) batches."""

    def embed(batches: Iterator[Any]) -> Iterator[Any]:
        import pandas as pd

        model = _model(shipped)
        split = str.split if pretokenized else model.pipeline()
        for batch in batches:
            vectors = model.embed_tokens([split(text) for text in batch["text"]])
            rows.add(len(batch))
            empty.add(int(np.count_nonzero(~vectors.any(axis=1))))
            yield pd.DataFrame({"id": batch["id"], "vector": list(vectors)})

    return embed


def embed_texts(job: EmbedJob) -> EmbedCounts:
    """Embed ``job.corpus`` into the Parquet dataset ``job.target`` (see
    :meth:`koembed.engines.base.Engine.embed_texts`).

    Raises:
        BadInputError: an input Spark cannot read as koembed does, or bad lines.
    """
    from pyspark.sql.types import (
        ArrayType,
        FloatType,
        LongType,
        StringType,
        StructField,
        StructType,
    )

    encodings = check_readable(job.corpus)
    spark = session()
    context = spark.sparkContext
    shipped = ship_folder(spark, job.model_dir)
    # Ids number the lines kept (a line dropped by errors='skip' takes none),
    # as the local engine numbers its rows.
    lines = raw_lines(spark, job.corpus, encodings).filter(lambda line: line is not None)
    numbered = lines.zipWithIndex().map(lambda pair: (pair[1], pair[0]))
    texts = spark.createDataFrame(
        numbered,
        StructType([StructField("id", LongType(), False), StructField("text", StringType())]),
    )
    rows, empty = context.accumulator(0), context.accumulator(0)
    schema = StructType(
        [StructField("id", LongType(), False), StructField("vector", ArrayType(FloatType()))]
    )
    vectors = texts.mapInPandas(_embed_batches(shipped, job.pretokenized, rows, empty), schema)
    report(job.progress, "embed (spark)", 0, None, "lines")
    run_job(lambda: vectors.write.mode("overwrite").parquet(str(job.target)))
    empty_ids: list[int] = []
    if empty.value:
        written = spark.read.parquet(str(job.target))
        zero = written.where("forall(vector, x -> x = 0)").select("id").orderBy("id")
        empty_ids = [row[0] for row in run_job(lambda: zero.limit(EXAMPLES).collect())]
    report(job.progress, "embed (spark)", rows.value, rows.value, "lines", finished=True)
    return EmbedCounts(int(rows.value), int(empty.value), empty_ids)
