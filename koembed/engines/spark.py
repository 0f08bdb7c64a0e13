"""The Apache Spark engine: tokenize and count in Spark partitions.

``koembed tokenize --engine spark`` reads the input with Spark (text files,
``.gz``/``.bz2``, or Parquet), and in each partition rebuilds the text
pipeline from its spec (the user dictionary travels inside the spec; a
trained tokenizer's folder is shipped with ``SparkContext.addFile``),
decodes, selects the column, normalizes and tokenizes exactly as the local
reader does, and streams the partitions back in order into the usual
tokenized file and manifest (or writes a Parquet dataset). The tokens are
identical to the local engine's.

``koembed train word2vec --engine spark`` trains Spark MLlib's Word2Vec
(skip-gram with hierarchical softmax). ``glove`` and ``ppmi`` with
``--engine spark`` count co-occurrences in a Spark job (each partition
counts its lines with the local compiled counter, partial counts are summed
by row block, exactly, in fixed point) and finish locally.

The session: an active one is used (``spark-submit``, or one the caller
built); otherwise one is built with ``--master`` (default ``local[*]``).
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import sys
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import numpy as np

from koembed.errors import BadInputError, KoembedError, MissingDependencyError
from koembed.outputs import private_temp_dir
from koembed.progress import ProgressCallback, report
from koembed.text.corpus import STDIN, Corpus
from koembed.text.files import detect_encoding, open_binary
from koembed.tokenizers.spec import TextPipeline
from koembed.tokenizers.trained import with_model

log = logging.getLogger(__name__)

ENGINES = ("local", "spark")
PARQUET_SUFFIX = ".parquet"
# Text records end at "\n" only, as Python's binary line iteration does
# (Hadoop's default would also break at a lone "\r").
_RECORD_DELIMITER = "textinputformat.record.delimiter"
_UNSPLITTABLE = (".gz",)
_UNREADABLE = (".xz", ".lzma")
_BATCH = 2000
# Bytes of input per Spark task: large enough that a task's start-up is small
# beside its work, small enough that a wave of them fits the driver's memory.
SPLIT_BYTES = 8 << 20

_settings: dict[str, Any] = {"master": None, "conf": {}}


def check_engine(engine: str) -> str:
    if engine not in ENGINES:
        raise BadInputError(f"--engine must be one of {', '.join(ENGINES)}, got {engine!r}")
    return engine


def configure(master: str | None = None, conf: dict[str, str] | None = None) -> None:
    """Set the master and configuration of the session koembed builds (CLI ``--master``)."""
    _settings["master"] = master
    _settings["conf"] = dict(conf or {})


def session():
    """The active SparkSession, or a new one (``local[*]`` unless configured).

    Raises:
        MissingDependencyError: pyspark is not installed.
        KoembedError: no Java to run Spark on.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise MissingDependencyError("pyspark", "spark", "the Spark engine") from None
    active = SparkSession.getActiveSession()
    master = _settings["master"]
    if active is not None and (master is None or active.sparkContext.master == master):
        return active
    if "PYSPARK_GATEWAY_PORT" not in os.environ:  # not launched by spark-submit
        if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
            raise KoembedError(
                "the Spark engine needs Java 17 or newer: install it (e.g. apt-get install "
                "openjdk-17-jre-headless) or set JAVA_HOME"
            )
        master = master or "local[*]"
        # Local workers must run this interpreter, which has koembed installed.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("koembed")
    if master is not None:
        if active is not None:
            active.stop()
        builder = builder.master(master)
    if master and master.startswith("local"):
        builder = builder.config("spark.ui.enabled", "false")
        if "spark.driver.memory" not in _settings["conf"]:
            # Local tasks run in the driver's JVM, whose default heap (1 GiB)
            # is small for them; a quarter of the machine, 1 to 8 GiB.
            builder = builder.config("spark.driver.memory", f"{_local_heap_mib()}m")
    # Progress is koembed's to show; Spark's console bars would garble it.
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    for key, value in _settings["conf"].items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _local_heap_mib() -> int:
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not POSIX
        return 2048
    return int(min(max(total // 4 >> 20, 1024), 8192))


def _job_error(error: BaseException) -> KoembedError:
    """A failed Spark job as one line: koembed's own error if a task raised one."""
    text = str(error)
    for kind in ("BadInputError", "MissingDependencyError", "KoembedError", "UnknownNameError"):
        marker = f"koembed.errors.{kind}: "
        if marker in text:
            message = text.split(marker, 1)[1].splitlines()[0].strip()
            return BadInputError(message) if kind == "BadInputError" else KoembedError(message)
    # The root cause: the last "SomeException: message" line of the Java trace.
    causes = re.findall(r"([\w.$]+(?:Exception|Error): [^\n]*)", text)
    detail = causes[-1].strip()[:300] if causes else type(error).__name__
    return KoembedError(f"the Spark job failed: {detail}")


def _run_job(action):
    """Run a Spark action; its failure becomes one koembed error."""
    try:
        from py4j.protocol import Py4JError
    except ImportError:  # pragma: no cover - py4j comes with pyspark
        Py4JError = RuntimeError
    try:
        return action()
    except Py4JError as error:
        raise _job_error(error) from None
    except Exception as error:
        if type(error).__module__.startswith(("pyspark", "py4j")):
            raise _job_error(error) from None
        raise


# -- reading raw text -------------------------------------------------------------


def is_parquet(path: str) -> bool:
    return path.rstrip("/").lower().endswith(PARQUET_SUFFIX)


def _is_local(path: str) -> bool:
    return "://" not in path or path.startswith("file://")


def _check_readable_by_spark(corpus: Corpus) -> dict[str, str]:
    """Refuse inputs Spark cannot read as the local engine does; give each file's encoding."""
    if STDIN in corpus.paths:
        raise BadInputError(
            "--engine spark reads files, not standard input; save the input to a file"
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
            if not _is_local(path):
                raise BadInputError(
                    f"{path}: --encoding auto needs a local file; name the encoding"
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


def _reader(corpus: Corpus) -> Corpus:
    """A copy of ``corpus`` that executors use to decode and select columns."""
    return Corpus(
        paths=corpus.paths,
        column=corpus.column,
        delimiter=corpus.delimiter,
        header=corpus.header,
        encoding=corpus.encoding,
        errors=corpus.errors,
        normalizer=corpus.normalizer,
    )


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


def _raw_lines(spark, corpus: Corpus, encodings: dict[str, str]):
    """One RDD of text lines (``None`` for dropped ones), files in order."""
    sc = spark.sparkContext
    # Splits of SPLIT_BYTES; one file's splits come in file order.
    spark.conf.set("spark.sql.files.maxPartitionBytes", str(SPLIT_BYTES))
    reader = _reader(corpus)
    parts = []
    for path in corpus.paths:
        encoding = encodings[path]
        if encoding == "parquet":
            frame = spark.read.parquet(path)
            fields = [f.name for f in frame.schema.fields]
            if corpus.column is not None:
                if corpus.column > len(fields):
                    raise BadInputError(
                        f"{path} has {len(fields)} column(s) ({', '.join(fields)}); "
                        f"--column {corpus.column} was asked for"
                    )
                name = fields[corpus.column - 1]
            else:
                strings = [f.name for f in frame.schema.fields if f.dataType.typeName() == "string"]
                if not strings:
                    raise BadInputError(f"{path} has no string column; pass --column N")
                name = strings[0]
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


# -- tokenizing in partitions -----------------------------------------------------

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
    out: list[str] = []
    tokens = empty = dropped = 0
    for line in lines:
        if line is None:
            dropped += 1
            continue
        line_tokens = pipeline(line)
        tokens += len(line_tokens)
        empty += not line_tokens
        out.append(" ".join(line_tokens))
        if len(out) == _BATCH:
            yield "\n".join(out) + "\n", len(out), tokens, empty, dropped
            out = []
            tokens = empty = dropped = 0
    if out or dropped:
        yield ("\n".join(out) + "\n") if out else "", len(out), tokens, empty, dropped


def _ship_model(spark, spec: dict) -> tuple[dict, str | None]:
    """Ship a trained tokenizer's folder with the job; the spec then names it."""
    model = spec.get("tokenizer", {}).get("model")
    if model is None:
        return spec, None
    spark.sparkContext.addFile(str(model), recursive=True)
    return spec, Path(model).name


def tokenize_with_spark(
    corpus: Corpus,
    pipeline_spec: dict,
    sink,
    progress: ProgressCallback | None = None,
    *,
    parquet_output: str | os.PathLike | None = None,
) -> dict[str, int]:
    """Tokenize ``corpus`` in Spark partitions, writing lines in order to ``sink``.

    With ``parquet_output``, the tokens are written there instead, as a
    Parquet dataset with one string column ``tokens`` (``sink`` is unused).

    Returns:
        counts: lines, tokens, empty (and sets ``corpus.stats``).

    Raises:
        BadInputError: an input Spark cannot read as koembed does, or bad lines.
    """
    encodings = _check_readable_by_spark(corpus)
    spark = session()
    spec, shipped = _ship_model(spark, pipeline_spec)
    spec_json = json.dumps(spec, ensure_ascii=False)
    batches = _raw_lines(spark, corpus, encodings).mapPartitions(
        lambda lines: _tokenize_partition(spec_json, shipped, lines)
    )
    counts = {"lines": 0, "tokens": 0, "empty": 0}
    dropped = 0
    started = time.monotonic()
    if parquet_output is not None:
        from pyspark.sql.types import StringType, StructField, StructType

        totals = [spark.sparkContext.accumulator(0) for _ in range(4)]

        def lines_of(batch):
            for total, value in zip(totals, batch[1:]):
                total.add(value)
            return batch[0].split("\n")[:-1] if batch[0] else []

        texts = batches.flatMap(lines_of).map(lambda text: (text,))
        schema = StructType([StructField("tokens", StringType(), False)])
        frame = spark.createDataFrame(texts, schema)
        _run_job(lambda: frame.write.mode("overwrite").parquet(str(parquet_output)))
        counts = dict(zip(("lines", "tokens", "empty"), (int(t.value) for t in totals)))
        dropped = int(totals[3].value)
    else:
        # Partitions run in waves of a few per core, and each wave comes back
        # in partition order: the driver holds one wave, never the corpus.
        sc = spark.sparkContext
        total = batches.getNumPartitions()
        wave = max(2, 2 * sc.defaultParallelism)
        for first in range(0, total, wave):
            part = list(range(first, min(first + wave, total)))
            results = _run_job(lambda part=part: sc.runJob(batches, lambda it: it, part))
            for text, lines, tokens, empty, bad in results:
                sink.write(text)
                counts["lines"] += lines
                counts["tokens"] += tokens
                counts["empty"] += empty
                dropped += bad
            info = {**counts, "seconds": time.monotonic() - started}
            report(progress, "tokenize (spark)", part[-1] + 1, total, "partitions", info)
    corpus.stats.files = len(corpus.paths)
    corpus.stats.lines = counts["lines"]
    corpus.stats.bad_lines = dropped if corpus.errors == "skip" else 0
    corpus.stats.encodings = {p: e for p, e in encodings.items() if e != "parquet"}
    corpus.stats.bytes_read = sum(
        os.path.getsize(p) for p in corpus.paths if _is_local(p) and os.path.isfile(p)
    )
    return counts


# -- tokenized corpora --------------------------------------------------------------


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
    total = int(_run_job(lambda: counted.values().sum()))
    kept = _run_job(lambda: counted.filter(lambda pair: pair[1] >= min_count).collect())
    counted.unpersist()
    kept.sort(key=lambda item: (-item[1], item[0]))
    words = [word for word, _ in kept]
    return words, np.array([count for _, count in kept], dtype=np.int64), total


# -- word2vec -----------------------------------------------------------------------


def train_word2vec(
    path: str | os.PathLike, params: dict[str, Any], progress: ProgressCallback | None = None
) -> tuple[list[str], np.ndarray, np.ndarray, int]:
    """MLlib Word2Vec on a tokenized corpus: (words, vectors, counts, tokens)."""
    from pyspark.ml.feature import Word2Vec

    spark = session()
    rdd = token_lists(spark, path).cache()
    words, counts, total = word_counts(rdd, params["min_count"])
    if not words:
        raise BadInputError(
            f"no word in {path} occurs {params['min_count']} times or more; "
            f"lower --min-count or use a larger corpus"
        )
    report(progress, "train word2vec (spark)", 0, 1, "runs", {"vocabulary": len(words)})
    frame = rdd.map(lambda tokens: (tokens,)).toDF(["words"])
    estimator = Word2Vec(
        vectorSize=params["dim"],
        minCount=params["min_count"],
        windowSize=params["window"],
        maxIter=params["epochs"],
        stepSize=params["alpha"],
        seed=params["seed"],
        numPartitions=params["workers"],
        inputCol="words",
        outputCol="vector",
    )
    model = _run_job(lambda: estimator.fit(frame))
    vectors = {
        row["word"]: row["vector"].toArray()
        for row in _run_job(lambda: model.getVectors().toLocalIterator())
    }
    rdd.unpersist()
    missing = [word for word in words if word not in vectors]
    if missing:
        raise KoembedError(
            f"Spark's Word2Vec left out {len(missing)} frequent word(s) such as {missing[0]!r}"
        )
    matrix = np.vstack([vectors[word] for word in words]).astype(np.float32)
    report(progress, "train word2vec (spark)", 1, 1, "runs", {"vocabulary": len(words)})
    return words, matrix, counts, total


# -- co-occurrence counts ---------------------------------------------------------


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
    from koembed.counts.cooccur import SCALE, Vocabulary, count_cooccurrences

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


def count_cooccurrences(
    corpus: Any,
    *,
    window: int = 10,
    distance_weighting: bool = True,
    symmetric: bool = True,
    min_count: int = 5,
    memory: float = 1.0,
    progress: ProgressCallback | None = None,
    **_: Any,
):
    """:func:`koembed.counts.cooccur.count_cooccurrences`, counted in a Spark job.

    The vocabulary and the counts equal the local engine's exactly: each
    partition counts its lines in fixed point, and the partial counts are
    summed as integers.
    """
    from koembed.counts.cooccur import SCALE, Cooccurrences, Vocabulary

    path = getattr(corpus, "path", corpus)
    spark = session()
    sc = spark.sparkContext
    rdd = token_lists(spark, path).cache()
    report(progress, "count words (spark)", 0, 1, "jobs")
    words, counts, total = word_counts(rdd, min_count)
    if not words:
        raise BadInputError(
            f"no word occurs {min_count} times or more in the corpus ({total:,} tokens); "
            f"lower --min-count or use a larger corpus"
        )
    lines = int(_run_job(lambda: rdd.count()))
    report(progress, "count words (spark)", 1, 1, "jobs", {"vocabulary": len(words)})
    vocabulary = Vocabulary(words, counts, tokens=total, lines=lines)
    shared = sc.broadcast((words, counts))
    bounds = row_blocks(counts, window, sc.defaultParallelism)
    blocks = len(bounds) - 1
    # Each task counts with a share of the budget, as tasks run side by side.
    settings = {
        "window": window,
        "distance_weighting": distance_weighting,
        "symmetric": symmetric,
        "memory": max(memory / max(sc.defaultParallelism, 1), 0.01),
    }

    def count(lines):
        vocab_words, vocab_counts = shared.value
        return _count_partition(lines, vocab_words, vocab_counts, settings, bounds)

    # Block b goes to partition b, so the partitions come back in row order.
    merged = (
        rdd.mapPartitions(count)
        .groupByKey(numPartitions=blocks, partitionFunc=lambda block: block)
        .mapValues(_merge_block)
    )
    report(progress, "count co-occurrences (spark)", 0, 1, "jobs", {"vocabulary": len(words)})
    size = len(words)
    keys_parts, value_parts = [], []
    for _, (keys, values) in _run_job(lambda: merged.toLocalIterator()):
        keys_parts.append(keys)
        value_parts.append(values)
    rdd.unpersist()
    shared.unpersist()
    keys = np.concatenate(keys_parts) if keys_parts else np.empty(0, dtype=np.int64)
    values = np.concatenate(value_parts) if value_parts else np.empty(0, dtype=np.int64)
    report(progress, "count co-occurrences (spark)", 1, 1, "jobs", {"vocabulary": len(words)})
    return Cooccurrences(
        vocabulary,
        (keys // size).astype(np.int32),
        (keys % size).astype(np.int32),
        values.astype(np.float64) / SCALE,
        window=window,
        distance_weighting=distance_weighting,
        symmetric=symmetric,
    )
