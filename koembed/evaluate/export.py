"""Model -> files other tools read.

``projector``: TensorBoard's Embedding Projector (also the standalone
projector web page): a folder with ``vectors.tsv`` (one row of tab-separated
numbers per word, no header) and ``metadata.tsv`` (the words, with their
counts and a header row when counts are known), plus a
``projector_config.pbtxt`` so the folder can serve as a TensorBoard log
directory.

``word2vec``, ``word2vec-binary``, ``glove``: one file in the word2vec text,
word2vec binary or GloVe text format (:mod:`koembed.models.formats`), which
gensim, the word2vec and GloVe tools and most libraries load.

``fasttext``: a fastText model as Facebook's ``.bin``, so the ``fasttext``
tools and gensim's ``load_facebook_model`` give unseen words the vectors
koembed gives them. A jamo model's ``.bin`` holds its vocabulary as it was
trained, decomposed into jamo (``koembed.text.jamo.decompose``): the n-grams
are hashed from jamo, so the tools must be asked about decomposed words too.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import numpy as np

from koembed.errors import BadInputError, UnknownNameError
from koembed.models import Embeddings, SubwordEmbeddings
from koembed.models.formats import (
    write_fasttext_bin,
    write_glove_text,
    write_word2vec_binary,
    write_word2vec_text,
)
from koembed.outputs import atomic_output, check_output, model_inputs
from koembed.text.jamo import decompose

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


def _vector_writer(
    write: Callable[[Path, list[str], np.ndarray], None],
) -> Callable[[Embeddings, np.ndarray, Path], None]:
    def write_rows(model: Embeddings, rows: np.ndarray, path: Path) -> None:
        matrix = np.asarray(model.vectors, dtype=np.float32)[rows]
        write(path, [model.words[row] for row in rows], matrix)

    return write_rows


def _write_fasttext(model: Embeddings, rows: np.ndarray, path: Path) -> None:
    assert isinstance(model, SubwordEmbeddings)  # checked by export()
    words = [decompose(word) for word in model.words] if model.jamo else model.words
    counts = model.counts if model.counts is not None else np.ones(len(model), dtype=np.int64)
    write_fasttext_bin(
        path,
        words,
        counts,
        model.vectors_vocab(),
        np.asarray(model.ngrams, dtype=np.float32),
        min_n=model.min_n,
        max_n=model.max_n,
        params=model.meta.get("params", {}),
        corpus_words=int(model.meta.get("corpus_words", 0)),
    )


Writer = Callable[[Embeddings, np.ndarray, Path], None]  # (model, rows, output)

EXPORT_FORMATS: dict[str, Writer] = {
    "projector": _write_projector,
    "word2vec": _vector_writer(write_word2vec_text),
    "word2vec-binary": _vector_writer(write_word2vec_binary),
    "glove": _vector_writer(write_glove_text),
    "fasttext": _write_fasttext,
}
#: Formats written as a folder of files; the others are one file.
FOLDER_FORMATS = ("projector",)


def export(
    model: Embeddings,
    output: str | os.PathLike,
    *,
    format: str = "projector",
    top: int | None = None,
    overwrite: bool = False,
) -> Path:
    """Write ``model`` (or its ``top`` most frequent words) as ``format`` into ``output``
    (a folder for ``projector``, a file for the others).

    Raises:
        UnknownNameError: not one of :data:`EXPORT_FORMATS`.
        BadInputError: ``top`` below 1; ``fasttext`` for a model without
            n-grams, or with ``top`` (the ``.bin`` holds the whole model).
        OutputExistsError: ``output`` exists and ``overwrite`` is false.
    """
    if format not in EXPORT_FORMATS:
        raise UnknownNameError("export format", format, EXPORT_FORMATS)
    if top is not None and top < 1:
        raise BadInputError(f"top must be 1 or more, got {top}", parameters=("top",))
    if format == "fasttext":
        if not isinstance(model, SubwordEmbeddings):
            method = model.meta.get("method", "imported")
            raise BadInputError(
                f"a fastText .bin needs a model with character n-grams ('koembed train "
                f"fasttext'); this one is {method}: export it as word2vec or glove"
            )
        if top is not None:
            raise BadInputError(
                "a fastText .bin holds the whole model (its n-grams serve every word); "
                "leave out top",
                parameters=("top",),
            )
    target = check_output(output, overwrite=overwrite, inputs=model_inputs(model))
    if model.counts is not None:
        rows = np.argsort(-np.asarray(model.counts), kind="stable")[:top]
    else:
        rows = np.arange(len(model))[:top]
    with atomic_output(target, directory=format in FOLDER_FORMATS) as work:
        EXPORT_FORMATS[format](model, rows, work)
    return target
