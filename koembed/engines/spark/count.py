"""Co-occurrence counts in a Spark job: each partition counts its lines with
the local compiled counter, in fixed point; the partial counts are summed by
row block as integers, so they equal the local counts exactly."""

from __future__ import annotations

import inspect
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from koembed.counts import SCALE, Cooccurrences, Vocabulary, count_cooccurrences
from koembed.engines.spark.read import token_lists, word_counts
from koembed.engines.spark.session import run_job, session
from koembed.errors import BadInputError
from koembed.outputs import private_temp_dir
from koembed.progress import ProgressCallback, report

#: Estimated bytes of counts per row block: one block is one task result that
#: the driver's JVM holds whole (4 blocks of full-NSMC counts ran it out of heap).
BLOCK_BYTES = 64 << 20


def row_blocks(counts: np.ndarray, window: int, parallelism: int) -> np.ndarray:
    """Row boundaries (blocks + 1 of them) cutting the rows into blocks of about
    equal estimated size.

    A word's row holds at most ``min(count x 2 x window, vocabulary)`` entries;
    rows are in frequency order, so equal ranges of rows would put most
    entries in the first block.
    """
    size = len(counts)
    load = np.minimum(np.asarray(counts, dtype=np.float64) * 2 * window, size)
    cumulative = np.concatenate(([0.0], np.cumsum(load)))
    blocks = max(2 * parallelism, int(np.ceil(16 * cumulative[-1] / BLOCK_BYTES)))
    blocks = min(blocks, 4096, max(size, 1))
    bounds = np.searchsorted(cumulative, np.linspace(0, cumulative[-1], blocks + 1))
    bounds[0], bounds[-1] = 0, size
    return np.maximum.accumulate(bounds)


def _count_partition(
    lines: Iterable[list[str]],
    words: list[str],
    counts: np.ndarray,
    settings: dict[str, Any],
    bounds: np.ndarray,
) -> Iterator[tuple[int, tuple[np.ndarray, np.ndarray]]]:
    """Count one partition with the local counter; yield (row block, (keys, fixed-point))."""
    vocabulary = Vocabulary(words, counts)
    size = len(words)
    with private_temp_dir("spark") as folder:
        part = folder / "part.tokens"
        with open(part, "w", encoding="utf-8") as handle:
            for tokens in lines:
                handle.write(" ".join(tokens) + "\n")
        if part.stat().st_size == 0:
            return
        result = count_cooccurrences(str(part), vocabulary=vocabulary, temp_dir=folder, **settings)
    keys = result.rows.astype(np.int64) * size + result.cols
    fixed = np.rint(result.values * SCALE).astype(np.int64)
    # Entries come sorted by row: each block is one slice.
    cuts = np.searchsorted(result.rows, bounds)
    for block in range(len(bounds) - 1):
        first, last = cuts[block], cuts[block + 1]
        if last > first:
            yield block, (keys[first:last], fixed[first:last])


def _merge_block(parts: Iterable[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Sum the partial counts of one row block: sorted unique keys and their totals.

    The values are fixed-point integers, so the sums are exact whatever the
    partitioning.
    """
    parts = list(parts)
    keys = np.concatenate([k for k, _ in parts])
    values = np.concatenate([v for _, v in parts])
    order = np.argsort(keys, kind="stable")
    keys, values = keys[order], values[order]
    starts = np.flatnonzero(np.concatenate(([True], keys[1:] != keys[:-1])))
    return keys[starts], np.add.reduceat(values, starts)


def _with_defaults(options: dict[str, Any]) -> dict[str, Any]:
    """All the options of the local counter, its defaults filled in: the two
    engines take the same options, declared once.

    Raises:
        BadInputError: an option the local counter does not take.
    """
    try:
        bound = inspect.signature(count_cooccurrences).bind(None, **options)
    except TypeError as error:
        raise BadInputError(f"counting co-occurrences: {error}") from None
    bound.apply_defaults()
    return bound.arguments


def _vocabulary(rdd, min_count: int, max_vocab: int | None, progress) -> Vocabulary:
    """The words of the tokenized corpus ``rdd`` kept as the local counter keeps them."""
    report(progress, "count words (spark)", 0, 1, "jobs")
    words, counts, total = word_counts(rdd, min_count)
    if max_vocab is not None:
        words, counts = words[:max_vocab], counts[:max_vocab]
    if not words:
        raise BadInputError(
            f"no word occurs {min_count} times or more in the corpus ({total:,} tokens); "
            f"lower min_count or use a larger corpus",
            parameters=("min_count",),
        )
    lines = int(run_job(lambda: rdd.count()))
    report(progress, "count words (spark)", 1, 1, "jobs", {"vocabulary": len(words)})
    return Vocabulary(words, counts, tokens=total, lines=lines)


def count_with_spark(
    corpus: Any, *, progress: ProgressCallback | None = None, **options: Any
) -> Cooccurrences:
    """The counts of :func:`koembed.counts.count_cooccurrences`, with the same
    options, counted in a Spark job.

    The vocabulary and the counts equal the local engine's exactly: each
    partition counts its lines in fixed point, and the partial counts are
    summed as integers. Each task spills to its executor's temporary folder
    (``temp_dir`` is not used), with a share of ``memory``.
    """
    options = _with_defaults(options)
    window = {key: options[key] for key in ("window", "distance_weighting", "symmetric")}
    spark = session()
    sc = spark.sparkContext
    rdd = token_lists(spark, getattr(corpus, "path", corpus)).cache()
    vocabulary = options["vocabulary"] or _vocabulary(
        rdd, options["min_count"], options["max_vocab"], progress
    )
    words, counts = vocabulary.words, vocabulary.counts
    shared = sc.broadcast((words, counts))
    bounds = row_blocks(counts, window["window"], sc.defaultParallelism)
    # Each task counts with a share of the budget, as tasks run side by side.
    settings = {**window, "memory": max(options["memory"] / max(sc.defaultParallelism, 1), 0.01)}

    def count(lines):
        vocab_words, vocab_counts = shared.value
        return _count_partition(lines, vocab_words, vocab_counts, settings, bounds)

    # Block b goes to partition b, so the partitions come back in row order.
    merged = (
        rdd.mapPartitions(count)
        .groupByKey(numPartitions=len(bounds) - 1, partitionFunc=lambda block: block)
        .mapValues(_merge_block)
    )
    report(progress, "count co-occurrences (spark)", 0, 1, "jobs", {"vocabulary": len(words)})
    keys_parts, value_parts = [], []
    for _, (keys, values) in run_job(lambda: merged.toLocalIterator()):
        keys_parts.append(keys)
        value_parts.append(values)
    rdd.unpersist()
    shared.unpersist()
    keys = np.concatenate(keys_parts) if keys_parts else np.empty(0, dtype=np.int64)
    values = np.concatenate(value_parts) if value_parts else np.empty(0, dtype=np.int64)
    report(progress, "count co-occurrences (spark)", 1, 1, "jobs", {"vocabulary": len(words)})
    size = len(words)
    return Cooccurrences(
        vocabulary,
        (keys // size).astype(np.int32),
        (keys % size).astype(np.int32),
        values.astype(np.float64) / SCALE,
        **window,
    )
