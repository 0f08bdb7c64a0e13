"""What every document-embedding method's trainer shares, and ``train_documents``.

The model type is :class:`koembed.models.documents.DocumentModel`; what its
rows show is :mod:`koembed.documents.rows`'.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from koembed.documents.rows import SHOW_CHOICES
from koembed.errors import KoembedError, UnknownNameError
from koembed.models.documents import DocumentModel
from koembed.progress import ProgressCallback
from koembed.registry import TRAINERS
from koembed.tokenize import TokenizedCorpus
from koembed.trainers.base import Param, Trainer, create_trainer

log = logging.getLogger(__name__)

# -- training -------------------------------------------------------------------


SHOW_PARAM = Param(
    "auto",
    str,
    choices=SHOW_CHOICES,
    help="What a nearest-document answer shows: text (the raw corpus line, re-read through the "
    "manifest), tokens, none, or auto (text where it can be read, else tokens).",
)


class DocumentTrainer(Trainer):
    """A trainer whose ``fit`` returns a :class:`DocumentModel`.

    Subclasses set ``method``, ``params`` (including ``show``: ``SHOW_PARAM``),
    ``model_class`` and implement ``_fit``; they are registered in
    ``koembed.registry.TRAINERS`` with the word methods.
    """

    model_class: ClassVar[type[DocumentModel]]

    def fit(
        self,
        corpus: TokenizedCorpus | str | os.PathLike | Iterable[Sequence[str]],
        progress: ProgressCallback | None = None,
    ) -> DocumentModel:
        """Validate parameters, train on ``corpus`` and return the document model."""
        model = super().fit(corpus, progress)
        assert isinstance(model, DocumentModel)
        return model


def document_methods() -> list[str]:
    """The registered methods whose trainers give document models (a plugin
    that cannot be loaded is left out)."""
    methods = []
    for name in TRAINERS.names():
        try:
            trainer_class = TRAINERS.get(name)
        except KoembedError:
            continue
        if isinstance(trainer_class, type) and issubclass(trainer_class, DocumentTrainer):
            methods.append(name)
    return methods


def train_documents(
    method: str,
    corpus: TokenizedCorpus | str | os.PathLike | Iterable[Sequence[str]],
    *,
    progress: ProgressCallback | None = None,
    **params: Any,
) -> DocumentModel:
    """Train document embeddings (``"doc2vec"``, ``"sif"``, ``"lsa-doc"``) on a tokenized corpus.

    Example:
        >>> model = koembed.train_documents("sif", "work/nsmc.mecab")
        >>> model.most_similar_documents("연기가 정말 좋았던 영화", topn=5)

    Raises:
        UnknownNameError: no such method, or one that gives word vectors only.
        BadInputError: a bad parameter or corpus, reported before any training.
    """
    trainer_class = TRAINERS.get(method)
    if not (isinstance(trainer_class, type) and issubclass(trainer_class, DocumentTrainer)):
        raise UnknownNameError("document method", method, document_methods())
    trainer = create_trainer(method, **params)
    assert isinstance(trainer, DocumentTrainer)
    return trainer.fit(corpus, progress=progress)


# -- what a row shows -------------------------------------------------------------
