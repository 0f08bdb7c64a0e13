"""Document models: word vectors plus one vector per corpus document, and new
text embedded alike.

A document model is a word model directory (``vocab.txt``, ``vectors.npy``,
``koembed.json``: the word vectors the method embeds text with) plus extra
arrays, all plain ``.npy`` (no pickle)::

    doc_vectors.npy   one row per corpus document, in corpus order (per tag
                      for doc2vec trained with tags)
    doc_text.npy      what each row shows in a nearest-document answer: the
    doc_offsets.npy   UTF-8 bytes of all the labels end to end (uint8), and
                      where each starts (int64, one more than the rows)
    ...               the method's own arrays (SIF weights and removed
                      components, doc2vec output weights, LSA idf...)

``koembed.json`` holds a ``documents`` section: what a row is (``lines``,
``tags`` or ``blocks``), how many there are, and what a row shows (``text``:
the raw corpus line, ``tokens``: the tokenized line, ``tags``, or ``none``).

New text goes through the pipeline recorded in the model (normalizer +
tokenizer), so ``embed`` sees the tokens the corpus was made of.
"""

from __future__ import annotations

import os
from abc import abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from koembed.errors import BadInputError
from koembed.models.directory import load
from koembed.models.embeddings import Embeddings
from koembed.models.vectors import ResolvedQuery

DOCUMENTS = "documents"  # the koembed.json section


DOC_VECTORS = "doc_vectors"


DOC_TEXT = "doc_text"


DOC_OFFSETS = "doc_offsets"


BATCH = 10_000  # documents embedded at once


@dataclass
class DocumentMatch:
    """A corpus document near a query: its row, cosine score and label."""

    row: int
    score: float
    text: str  # what the row shows: the document's text, tokens or tag ("" for none)

    def to_dict(self) -> dict:
        return {"row": self.row, "score": round(self.score, 6), "text": self.text}


class DocumentModel(Embeddings):
    """Word vectors plus one vector per corpus document, and new text embedded alike.

    Subclasses implement :meth:`_embed_tokens`. Build one with
    :func:`train_documents`, or :func:`koembed.load` a saved one.

    Args:
        words, vectors, counts, meta: as for :class:`Embeddings`; ``meta``
            holds the ``documents`` section.
        arrays: ``doc_vectors``, ``doc_text``, ``doc_offsets`` and the
            method's arrays.

    Raises:
        BadInputError: the document arrays are missing or do not fit.
    """

    def __init__(
        self,
        words: Sequence[str],
        vectors: np.ndarray,
        counts: np.ndarray | None = None,
        meta: dict | None = None,
        arrays: dict[str, np.ndarray] | None = None,
    ):
        super().__init__(words, vectors, counts, meta, arrays)
        docs = self.arrays.get(DOC_VECTORS)
        offsets = self.arrays.get(DOC_OFFSETS)
        text = self.arrays.get(DOC_TEXT)
        if not isinstance(self.meta.get(DOCUMENTS), dict) or docs is None or docs.ndim != 2:
            raise BadInputError(
                "a document model needs a 'documents' section in koembed.json and a 2-D "
                "doc_vectors.npy; train the model again"
            )
        if offsets is None or text is None or offsets.shape != (len(docs) + 1,):
            raise BadInputError(
                f"doc_offsets.npy must hold {len(docs) + 1} offsets for {len(docs)} documents "
                f"(with doc_text.npy); train the model again"
            )
        self._doc_norms: np.ndarray | None = None

    def __repr__(self) -> str:
        return (
            f"<DocumentModel {self.meta.get('method')}: {self.n_documents} documents x "
            f"{self.doc_vectors.shape[1]} dims, {len(self)} words>"
        )

    # -- the corpus documents --------------------------------------------------

    @property
    def doc_vectors(self) -> np.ndarray:
        """One row per corpus document (or tag), in corpus order."""
        return self.arrays[DOC_VECTORS]

    @property
    def n_documents(self) -> int:
        return int(self.doc_vectors.shape[0])

    @property
    def doc_dim(self) -> int:
        return int(self.doc_vectors.shape[1])

    @property
    def documents(self) -> dict:
        """The ``documents`` section of the metadata (rows, count, shows...)."""
        return self.meta[DOCUMENTS]

    def document(self, row: int) -> str:
        """What row ``row`` shows: its text, tokens or tag (``""`` when none was kept)."""
        offsets = self.arrays[DOC_OFFSETS]
        start, end = int(offsets[row]), int(offsets[row + 1])
        return bytes(self.arrays[DOC_TEXT][start:end]).decode("utf-8")

    # -- embedding new text -----------------------------------------------------

    def embed(self, texts: str | Iterable[str], *, pretokenized: bool = False) -> np.ndarray:
        """Vectors of new texts, one row each, in order.

        Each text goes through the model's own normalizer and tokenizer (or is
        split on whitespace with ``pretokenized``). A text with no token in
        the vocabulary gets an all-zero row.

        Args:
            texts: a string or an iterable of strings.
            pretokenized: the texts are already tokenized, tokens separated
                by spaces (lines of a file made by ``koembed tokenize``).
        """
        if isinstance(texts, str):
            texts = [texts]
        split = str.split if pretokenized else self.pipeline()
        parts = []
        batch: list[list[str]] = []
        for text in texts:
            batch.append(split(text))
            if len(batch) == BATCH:
                parts.append(self.embed_tokens(batch))
                batch = []
        if batch or not parts:
            parts.append(self.embed_tokens(batch))
        return np.concatenate(parts) if len(parts) > 1 else parts[0]

    def embed_tokens(self, documents: Sequence[Sequence[str]]) -> np.ndarray:
        """Vectors of tokenized documents, a ``(len(documents), doc_dim)`` float32 matrix."""
        if not documents:
            return np.zeros((0, self.doc_dim), dtype=np.float32)
        return self._embed_tokens(documents)

    @abstractmethod
    def _embed_tokens(self, documents: Sequence[Sequence[str]]) -> np.ndarray:
        """The method's embedding of non-empty ``documents`` (rows of zeros for no known word)."""

    # -- nearest documents ------------------------------------------------------

    def most_similar_documents(self, text: str, topn: int = 10) -> list[DocumentMatch]:
        """The corpus documents nearest to ``text`` by cosine similarity, best first.

        Raises:
            BadInputError: ``topn`` < 1, or no token of ``text`` is in the vocabulary.
        """
        return self.most_similar_documents_resolved(text, topn)[0]

    def most_similar_documents_resolved(
        self, text: str, topn: int = 10
    ) -> tuple[list[DocumentMatch], ResolvedQuery]:
        """Like :meth:`most_similar_documents`, also saying how ``text`` was tokenized."""
        if topn < 1:
            raise BadInputError(f"--topn must be 1 or more, got {topn}")
        tokens = self.pipeline()(text)
        found = [t for t in tokens if t in self.index]
        resolved = ResolvedQuery(text, tokens, found, [t for t in tokens if t not in self.index])
        if not found:
            how = f" (tokenized as {' / '.join(tokens)})" if tokens else ""
            raise BadInputError(
                f"no token of {text!r}{how} is in the model's vocabulary; "
                f"try other words or a longer text"
            )
        return self.nearest_documents(self.embed_tokens([tokens])[0], topn), resolved

    def nearest_documents(self, vector: np.ndarray, topn: int = 10) -> list[DocumentMatch]:
        """The corpus documents nearest to ``vector`` by cosine similarity."""
        norm = float(np.linalg.norm(vector))
        if norm == 0:
            return []
        # Threaded BLAS, as in Embeddings.most_similar_resolved.
        scores = self.doc_vectors @ (vector.astype(np.float32) / norm)
        scores /= self.doc_norms
        wanted = min(topn, len(scores))
        best = np.argpartition(-scores, wanted - 1)[:wanted]
        best = best[np.argsort(-scores[best], kind="stable")]
        return [DocumentMatch(int(i), float(scores[i]), self.document(int(i))) for i in best]

    @property
    def doc_norms(self) -> np.ndarray:
        """Lengths of the document vectors (``inf`` for zero rows, so they score 0)."""
        if self._doc_norms is None:
            norms = np.sqrt(np.einsum("ij,ij->i", self.doc_vectors, self.doc_vectors))
            norms[norms == 0] = np.inf
            self._doc_norms = norms.astype(np.float32)
        return self._doc_norms


def load_documents(path: str | os.PathLike) -> DocumentModel:
    """Load a document model directory (:func:`koembed.load` for any model).

    Raises:
        BadInputError: nothing loadable at ``path``, or a word model.
    """
    model = load(path)
    if not isinstance(model, DocumentModel):
        method = model.meta.get("method", "imported")
        raise BadInputError(
            f"{path} holds word vectors ({method}), not documents; train a document model "
            f"with 'koembed train doc2vec|sif|lsa-doc'"
        )
    return model
