"""What a model whose vectors can have an approximate index offers (the
:class:`Indexed` mixin of word and document models), and ``koembed index``'s
choice of what to index (:func:`build_indexes`). The index itself, its files
and its checks are :mod:`koembed.models.neighbours`'."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import numpy as np

from koembed.errors import BadInputError
from koembed.models.neighbours import (
    DOCUMENTS,
    WORDS,
    IndexInfo,
    IndexSettings,
    NeighbourIndex,
    build_index,
    open_index,
)
from koembed.progress import ProgressCallback


class Indexed:
    """What a model whose vectors can have an approximate index offers: opening
    the index kept in its directory, and building one there.

    :class:`~koembed.models.vectors.WordVectors` indexes its words,
    :class:`~koembed.models.documents.DocumentModel` its documents; each says
    which rows and which file through the ``_index_*`` methods.
    """

    #: what the index covers (:data:`WORDS` or :data:`DOCUMENTS`)
    index_of: ClassVar[str]
    base_dir: Path | None
    _neighbours: tuple[NeighbourIndex | None] | None = None

    def _index_rows(self) -> np.ndarray:
        """The rows to index, each of length 1 or 0."""
        raise NotImplementedError

    def _index_source(self) -> str:
        """The matrix file the rows come from, relative to the model directory."""
        raise NotImplementedError

    def _index_size(self) -> int:
        """How many rows the index must cover."""
        raise NotImplementedError

    def _index_refusal(self) -> str | None:
        """Why this model's queries cannot use an index, or ``None``."""
        return None

    def neighbour_index(self) -> NeighbourIndex | None:
        """The approximate index ``koembed index`` kept in the model directory
        (checked on first use), or ``None``: queries are then exact.

        Raises:
            BadInputError: the index is damaged or stale (the vectors changed
                after indexing).
        """
        if self._neighbours is None:
            found = None
            if self.base_dir is not None and self._index_refusal() is None:
                found = open_index(self.base_dir, self.index_of, self._index_size())
            self._neighbours = (found,)
        return self._neighbours[0]

    def build_index(
        self,
        settings: IndexSettings | None = None,
        *,
        workers: int | None = None,
        progress: ProgressCallback | None = None,
    ) -> IndexInfo:
        """Build the approximate index into the model directory (replacing one
        built before); queries use it from then on.

        Raises:
            BadInputError: the model has no directory (save it first), cannot
                use an index, or bad settings.
        """
        if self.base_dir is None:
            where = getattr(self, "meta", {}).get("source") or "this model"
            raise BadInputError(
                f"{where} is not a model directory, where an index is kept: index a directory "
                f"written by 'koembed train' or model.save(DIR)"
            )
        refusal = self._index_refusal()
        if refusal is not None:
            raise BadInputError(refusal)
        info = build_index(
            self._index_rows(),
            self.base_dir,
            self.index_of,
            self._index_source(),
            settings=settings,
            workers=workers,
            progress=progress,
        )
        self._neighbours = None
        return info


#: What ``koembed index`` can index in a model.
INDEXABLE = ("auto", WORDS, DOCUMENTS, "both")


def build_indexes(
    model: Indexed,
    vectors: str = "auto",
    settings: IndexSettings | None = None,
    *,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
) -> list[IndexInfo]:
    """Build approximate indexes into a saved model's directory (``koembed index``).

    Args:
        model: a word model, or a document model (whose ``word_vectors`` are
            its words).
        vectors: ``"words"``, ``"documents"``, ``"both"``, or ``"auto"``: a
            document model's documents, a word model's words.

    Raises:
        BadInputError: an unknown ``vectors``, documents of a word model, or
            what :meth:`Indexed.build_index` refuses.
    """
    if vectors not in INDEXABLE:
        raise BadInputError(
            f"vectors must be one of {', '.join(INDEXABLE)}, got {vectors!r}",
            parameters=("vectors",),
        )
    documents = model.index_of == DOCUMENTS
    if vectors == "auto":
        vectors = model.index_of
    if vectors != WORDS and not documents:
        raise BadInputError(
            f"vectors={vectors!r} needs a document model (doc2vec, sif, lsa-doc); "
            f"this model has word vectors only",
            parameters=("vectors",),
        )
    targets = {WORDS: model.word_vectors if documents else model, DOCUMENTS: model}
    wanted = (WORDS, DOCUMENTS) if vectors == "both" else (vectors,)
    return [
        targets[what].build_index(settings, workers=workers, progress=progress) for what in wanted
    ]
