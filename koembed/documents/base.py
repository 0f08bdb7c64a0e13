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
from koembed.models.documents import DocumentModel
from koembed.progress import ProgressCallback
from koembed.registry import DOCUMENT_TRAINERS
from koembed.tokenize import TokenizedCorpus
from koembed.trainers.base import Param, Trainer, check_finite

log = logging.getLogger(__name__)

# -- training -------------------------------------------------------------------


SHOW_PARAM = Param(
    "auto",
    str,
    choices=SHOW_CHOICES,
    help="what a nearest-document answer shows: the raw corpus text, its tokens, or nothing "
    "(auto: the text where the tokenized corpus's manifest says where it is)",
)


class DocumentTrainer(Trainer):
    """A trainer whose ``fit`` returns a :class:`DocumentModel`.

    Subclasses set ``method``, ``params`` (including ``show``: ``SHOW_PARAM``),
    ``model_class`` and implement ``_fit``.
    """

    model_class: ClassVar[type[DocumentModel]]

    def validated_params(self) -> dict[str, Any]:
        # File parameters (word_model, tags) may come as paths.
        self.given = {
            name: os.fspath(value) if isinstance(value, os.PathLike) else value
            for name, value in self.given.items()
        }
        return super().validated_params()

    def fit(
        self,
        corpus: TokenizedCorpus | str | os.PathLike | Iterable[Sequence[str]],
        progress: ProgressCallback | None = None,
    ) -> DocumentModel:
        """Validate parameters, train on ``corpus`` and return the document model."""
        model = super().fit(corpus, progress)
        assert isinstance(model, DocumentModel)
        return model

    def _check_trained(self, model: Any) -> None:
        check_finite(self.method, model.doc_vectors, "document vectors")


def create_document_trainer(method: str, **params: Any) -> DocumentTrainer:
    """Build the document trainer registered as ``method`` and check its parameters.

    Raises:
        UnknownNameError: no such method (the message lists them).
        BadInputError: a bad parameter.
    """
    trainer = DOCUMENT_TRAINERS.get(method)(**params)
    trainer.validated_params()
    return trainer


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
        UnknownNameError: no such method.
        BadInputError: a bad parameter or corpus, reported before any training.
    """
    return create_document_trainer(method, **params).fit(corpus, progress=progress)


# -- what a row shows -------------------------------------------------------------
