"""Model -> files other tools read.

``projector``: TensorBoard's Embedding Projector (also the standalone
projector web page): ``vectors.tsv`` (one row of tab-separated numbers per
word, no header) and ``metadata.tsv`` (the words, with their counts and a
header row when counts are known), plus a ``projector_config.pbtxt`` so the
folder can serve as a TensorBoard log directory.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from koembed.errors import BadInputError, UnknownNameError
from koembed.models import Embeddings
from koembed.outputs import atomic_output, check_output, model_inputs

PROJECTOR_CONFIG = """embeddings {
  tensor_name: "koembed"
  tensor_path: "vectors.tsv"
  metadata_path: "metadata.tsv"
}
"""


def _write_projector(model: Embeddings, rows: np.ndarray, folder: Path) -> None:
    row_format = "\t".join(["%.6g"] * model.dim)
    with open(folder / "vectors.tsv", "w", encoding="utf-8", newline="\n") as out:
        for row in rows:
            out.write(row_format % tuple(np.asarray(model.vectors[row]).tolist()) + "\n")
    with open(folder / "metadata.tsv", "w", encoding="utf-8", newline="\n") as out:
        # The projector reads a one-column file as labels with no header, and
        # takes the first line as a header only when there are several columns.
        if model.counts is not None:
            out.write("word\tcount\n")
            for row in rows:
                out.write(f"{model.words[row]}\t{int(model.counts[row])}\n")
        else:
            for row in rows:
                out.write(model.words[row] + "\n")
    (folder / "projector_config.pbtxt").write_text(PROJECTOR_CONFIG, encoding="utf-8")


EXPORT_FORMATS: dict[str, Callable[[Embeddings, np.ndarray, Path], None]] = {
    "projector": _write_projector,
}


def export(
    model: Embeddings,
    output: str | os.PathLike,
    *,
    format: str = "projector",
    top: int | None = None,
    overwrite: bool = False,
) -> Path:
    """Write ``model`` (or its ``top`` most frequent words) into the folder ``output``.

    Raises:
        UnknownNameError: not one of :data:`EXPORT_FORMATS`.
        BadInputError: ``top`` below 1.
        OutputExistsError: ``output`` exists and ``overwrite`` is false.
    """
    if format not in EXPORT_FORMATS:
        raise UnknownNameError("export format", format, EXPORT_FORMATS)
    if top is not None and top < 1:
        raise BadInputError(f"--top must be 1 or more, got {top}")
    target = check_output(output, overwrite=overwrite, inputs=model_inputs(model))
    if model.counts is not None:
        rows = np.argsort(-np.asarray(model.counts), kind="stable")[:top]
    else:
        rows = np.arange(len(model))[:top]
    with atomic_output(target, directory=True) as work:
        EXPORT_FORMATS[format](model, rows, work)
    return target
