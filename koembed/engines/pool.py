"""The local engine's tokenizing: in this process or in a pool of worker
processes, the results written in input order."""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from itertools import islice

from koembed.engines.base import TokenizeJob
from koembed.errors import KoembedError
from koembed.progress import report
from koembed.tokenizers.spec import TextPipeline

BATCH_LINES = 2000
# Batches in flight per worker: enough to keep workers busy, few enough that
# memory stays bounded however large the corpus is.
BATCHES_IN_FLIGHT = 4


def _batches(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


_worker_pipeline: TextPipeline | None = None


def tokenize_batch(pipeline: TextPipeline, lines: list[str]) -> tuple[str, int, int]:
    """The batch's lines as a tokenized file holds them (each ending in a line
    feed), its token count and its empty-line count."""
    out = []
    tokens = empty = 0
    for line in lines:
        line_tokens = pipeline(line)
        tokens += len(line_tokens)
        empty += not line_tokens
        out.append(" ".join(line_tokens))
    out.append("")
    return "\n".join(out), tokens, empty


def _exit_with_parent(parent: int) -> None:
    """Have the kernel end this worker if the parent dies (even by SIGKILL).

    Without this, workers of a killed run linger, holding memory and the
    terminal's pipes. Linux only; elsewhere workers end when their queue closes.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _worker_init(pipeline_spec: dict, parent: int) -> None:
    # The parent handles Ctrl-C and shuts workers down; a worker must not die
    # mid-batch with its own traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent)
    # The parent set the same pipeline up first and logged its warnings (an
    # Okt user word it skips, say) once; N workers need not repeat them.
    logging.getLogger("koembed").setLevel(logging.ERROR)
    global _worker_pipeline
    _worker_pipeline = TextPipeline.from_spec(pipeline_spec)
    _worker_pipeline.tokenizer.prepare()


def _worker_tokenize(lines: list[str]) -> tuple[str, int, int]:
    assert _worker_pipeline is not None
    return tokenize_batch(_worker_pipeline, lines)


def tokenize_lines(job: TokenizeJob, sink) -> dict[str, int]:
    """Tokenize ``job.corpus`` into ``sink`` with ``job.workers`` processes; return the counts."""
    corpus, progress, workers = job.corpus, job.progress, job.workers
    counts = {"lines": 0, "tokens": 0, "empty": 0}
    if job.done:
        counts = {key: job.done[key] for key in counts}
    total_bytes = corpus.total_bytes
    started = time.monotonic()
    last_report = float("-inf")  # report after the first batch, then every 0.2 s

    def write(batch_size: int, result: tuple[str, int, int]) -> None:
        nonlocal last_report
        text, tokens, empty = result
        sink.write(text)
        counts["lines"] += batch_size
        counts["tokens"] += tokens
        counts["empty"] += empty
        if job.checkpoint is not None:
            job.checkpoint(sink, counts)
        now = time.monotonic()
        if now - last_report > 0.2:
            last_report = now
            report(
                progress,
                "tokenize",
                corpus.stats.bytes_read,
                total_bytes,
                "bytes",
                {**counts, "seconds": now - started},
            )

    # A resumed run re-reads the lines done (decoding them counts their bad
    # lines and encodings again, as the manifest needs) but does not tokenize them.
    batches = _batches(islice(corpus.iter_raw(), counts["lines"], None), BATCH_LINES)
    if workers == 1:
        for batch in batches:
            write(len(batch), tokenize_batch(job.pipeline, batch))
        return counts

    # spawn, not fork: a JVM (Okt) or C++ handle must never be copied into a
    # child; each worker rebuilds its tokenizer from the spec.
    # N workers are N children; this process only reads, hands out batches
    # and writes results in order. (It used to tokenize too, as one of the
    # N: no faster on two cores, and its peak memory then held both the
    # reader's state, e.g. an xz decoder's 64 MiB window, and the analyzer's
    # dictionary pages, about 100 MB for mecab-ko-dic.)
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_worker_init,
        initargs=(job.spec, os.getpid()),
    )
    # Batches in input order, each with its line count and a child's Future.
    # The bound keeps memory flat however large the corpus.
    held = workers * BATCHES_IN_FLIGHT
    pending: deque[tuple[int, Future]] = deque()

    def write_head() -> None:
        size, future = pending.popleft()
        write(size, future.result())

    try:
        for batch in batches:
            pending.append((len(batch), executor.submit(_worker_tokenize, batch)))
            while pending and (pending[0][1].done() or len(pending) >= held):
                write_head()
        while pending:
            write_head()
    except BrokenProcessPool:
        # Said in plain words: not every command that tokenizes has a workers option.
        raise KoembedError(
            "a tokenizer worker process died (out of memory, or the backend crashed); "
            "try fewer worker processes, or a single one to see the backend's own error"
        ) from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return counts
