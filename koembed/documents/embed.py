"""Embed a stream of texts into a file: ``.npy`` or ``.tsv``, one vector a line;
or, with Spark, a corpus into a Parquet dataset (``.parquet``: id, vector).

Texts are read, tokenized and embedded in batches, so the input can be larger
than memory; the output is written under a temporary name and renamed into
place when complete (:mod:`koembed.outputs`).

A ``.npy`` file is written as it goes: its header is reserved at a fixed
128 bytes (the format pads headers with spaces to a multiple of 64) and
rewritten with the final row count at the end.
"""

from __future__ import annotations

import os
import struct
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from koembed.engines import create_engine
from koembed.engines.base import EmbedJob
from koembed.errors import BadInputError
from koembed.models.documents import BATCH, DocumentModel
from koembed.outputs import atomic_output, check_output
from koembed.progress import ProgressCallback, report
from koembed.text.corpus import Corpus

FORMATS = (".npy", ".tsv")
PARQUET = ".parquet"  # a dataset (a folder), written by engine='spark'
NPY_HEADER_BYTES = 128
EXAMPLES = 10  # line numbers of empty texts kept for the summary


@dataclass
class EmbedSummary:
    """What :func:`embed_to_file` wrote."""

    output: Path
    rows: int
    dim: int
    seconds: float
    empty: int = 0  # texts with no vocabulary token: all-zero rows
    #: the first few of them, as lines of the input (from 1)
    empty_lines: list[int] = field(default_factory=list)


def output_format(path: str | os.PathLike) -> str:
    """``.npy``, ``.tsv`` or ``.parquet`` from the output's name.

    Raises:
        BadInputError: any other suffix.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in (*FORMATS, PARQUET):
        raise BadInputError(
            f"cannot tell the format of {path}: name it .npy (NumPy matrix), .tsv "
            f"(tab-separated, one vector a line) or, with engine='spark', .parquet"
        )
    return suffix


def embed_to_file(
    model: DocumentModel,
    texts: Iterable[str],
    output: str | os.PathLike,
    *,
    pretokenized: bool = False,
    batch_size: int = BATCH,
    overwrite: bool = False,
    inputs: Iterable[str | os.PathLike] = (),
    progress: ProgressCallback | None = None,
) -> EmbedSummary:
    """Embed ``texts`` with ``model`` into ``output`` (``.npy`` or ``.tsv``), in order.

    Args:
        texts: an iterable of texts (read once, in batches).
        pretokenized: texts are tokens separated by spaces (no tokenizer run).
        batch_size: texts tokenized and embedded at a time.
        overwrite: replace an existing output.
        inputs: input paths the output must not replace (besides the model's folder).

    Raises:
        BadInputError: an unknown output format or a bad batch size.
        OutputExistsError: ``output`` exists and ``overwrite`` is false.
    """
    suffix = output_format(output)
    if suffix == PARQUET:
        raise BadInputError(
            f"{output}: a Parquet dataset is written by engine='spark' (embed_to_parquet); "
            f"name the output .npy or .tsv to embed on this machine",
            parameters=("engine",),
        )
    if batch_size < 1:
        raise BadInputError(
            f"batch_size must be 1 or more, got {batch_size}", parameters=("batch_size",)
        )
    # The model's own folder is an input too: nothing is written into it.
    model_dir = [model.base_dir] if model.base_dir is not None else []
    target = check_output(output, overwrite=overwrite, inputs=[*inputs, *model_dir])
    split = str.split if pretokenized else model.pipeline()
    started = time.perf_counter()
    rows = empty = 0
    empty_lines: list[int] = []
    dim = model.doc_dim
    with atomic_output(target) as temporary, open(temporary, "wb") as sink:
        if suffix == ".npy":
            sink.write(_npy_header(0, dim))
        batch: list[list[str]] = []

        def flush() -> None:
            nonlocal rows, empty
            vectors = model.embed_tokens(batch)
            zero = np.flatnonzero(~vectors.any(axis=1))
            empty += len(zero)
            empty_lines.extend(rows + int(i) + 1 for i in zero[: EXAMPLES - len(empty_lines)])
            if suffix == ".npy":
                sink.write(np.ascontiguousarray(vectors, dtype="<f4").tobytes())
            else:
                np.savetxt(sink, vectors, fmt="%.9g", delimiter="\t")
            rows += len(batch)
            batch.clear()
            report(progress, "embed", rows, None, "lines", {"lines": rows})

        for text in texts:
            batch.append(split(text))
            if len(batch) == batch_size:
                flush()
        if batch:
            flush()
        if suffix == ".npy":
            sink.seek(0)
            sink.write(_npy_header(rows, dim))
    seconds = time.perf_counter() - started
    report(progress, "embed", rows, rows, "lines", {"lines": rows, "seconds": seconds}, True)
    return EmbedSummary(target, rows, dim, seconds, empty, empty_lines)


def _npy_header(rows: int, cols: int) -> bytes:
    """A version 1.0 ``.npy`` header for a float32 matrix, padded to a fixed size."""
    described = repr({"descr": "<f4", "fortran_order": False, "shape": (rows, cols)})
    body = described.encode("latin1")
    room = NPY_HEADER_BYTES - 10 - 1  # magic, version and length before; newline after
    if len(body) > room:  # not for any real shape: 2**63 rows still fits
        raise BadInputError(f"a {rows} x {cols} matrix is too large for an .npy header")
    return (
        b"\x93NUMPY\x01\x00"
        + struct.pack("<H", NPY_HEADER_BYTES - 10)
        + body
        + b" " * (room - len(body))
        + b"\n"
    )


def embed_to_parquet(
    model: DocumentModel,
    corpus: Corpus,
    output: str | os.PathLike,
    *,
    engine: str = "spark",
    pretokenized: bool = False,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
) -> EmbedSummary:
    """Embed a corpus with ``model`` on ``engine`` into a Parquet dataset: one row
    per line, ``id`` (the line's position, from 0) and ``vector`` (floats), the
    vectors :func:`embed_to_file` gives.

    The model must be a saved directory: the engine's workers load it from there.

    Raises:
        BadInputError: an output not named ``.parquet``, a model without a
            directory, or an engine that writes no Parquet.
        OutputExistsError: ``output`` exists and ``overwrite`` is false.
    """
    if output_format(output) != PARQUET:
        raise BadInputError(
            f"{output}: engine={engine!r} writes a Parquet dataset; name the output "
            f".parquet (a folder of Parquet files)",
            parameters=("engine",),
        )
    if model.base_dir is None:
        raise BadInputError("the model must be saved (model.save(DIR)): the workers load it")
    target = check_output(
        output, overwrite=overwrite, inputs=[*corpus.paths, os.fspath(model.base_dir)]
    )
    started = time.perf_counter()
    with atomic_output(target, directory=True) as temporary:
        job = EmbedJob(model.base_dir.resolve(), corpus, temporary, pretokenized, progress)
        counts = create_engine(engine).embed_texts(job)
    seconds = time.perf_counter() - started
    empty_lines = [i + 1 for i in counts.empty_ids]
    return EmbedSummary(target, counts.rows, model.doc_dim, seconds, counts.empty, empty_lines)
