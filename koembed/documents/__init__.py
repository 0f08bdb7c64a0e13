"""Sentence and document embeddings: doc2vec, SIF (and uSIF), lsa-doc.

``train_documents(method, corpus)`` returns a
:class:`~koembed.models.documents.DocumentModel`: one vector per corpus
document, ``embed(texts)`` for new text (tokenized as the corpus was) and
``most_similar_documents(text)``. ``koembed.load`` reads a saved one back.
"""

from koembed.documents.base import DocumentTrainer, document_methods, train_documents

__all__ = ["DocumentTrainer", "document_methods", "train_documents"]
