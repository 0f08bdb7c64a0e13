"""Trained models: word vectors and their queries, document models, the model
directory and other tools' vector formats.

``load(path)`` reads any of them back; :class:`Embeddings` is the type every
word trainer returns, and a :class:`DocumentModel` holds one as its
``word_vectors``.
"""

from koembed.models.directory import load, save_model
from koembed.models.documents import (
    DocumentMatch,
    DocumentModel,
    load_documents,
    word_vectors_of,
)
from koembed.models.embeddings import Embeddings
from koembed.models.subword import SubwordEmbeddings
from koembed.models.vectors import ResolvedQuery, UnknownWordError, WordVectors

__all__ = [
    "DocumentMatch",
    "DocumentModel",
    "Embeddings",
    "ResolvedQuery",
    "SubwordEmbeddings",
    "UnknownWordError",
    "WordVectors",
    "load",
    "load_documents",
    "save_model",
    "word_vectors_of",
]
