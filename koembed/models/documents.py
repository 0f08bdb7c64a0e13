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

In memory a :class:`DocumentModel` holds those word vectors as an
:class:`~koembed.models.embeddings.Embeddings` (``word_vectors``) beside the
arrays, rather than being one: a PV-DBOW model's word vectors are random, and
its ``word_vectors`` refuse to answer.

New text goes through the pipeline recorded in the model (normalizer +
tokenizer), so ``embed`` sees the tokens the corpus was made of.
"""

from __future__ import annotations

import os
from abc import abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain, repeat
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from koembed.errors import BadInputError
from koembed.models.directory import load, save_model
from koembed.models.embeddings import Embeddings
from koembed.models.indexed import Indexed
from koembed.models.neighbours import DOCUMENTS as INDEXED_DOCUMENTS
from koembed.models.vectors import ResolvedQuery

DOCUMENTS = "documents"  # the koembed.json section
DOC_VECTORS = "doc_vectors"
DOC_TEXT = "doc_text"
DOC_OFFSETS = "doc_offsets"
BATCH = 10_000  # documents embedded at once


@dataclass
class DocumentMatch:
    """A corpus document near a query: where it is, its cosine score and label.

    Two numbers, two names: ``row`` is its index among the model's document
    vectors (from 0, as ``doc_vectors[row]``); ``line`` is its line in the
    corpus file (from 1, as an editor counts), ``None`` where documents are not
    lines (tags, blank-line blocks).
    """

    row: int
    score: float
    text: str  # what the row shows: the document's text, tokens or tag ("" for none)
    line: int | None = None

    def to_dict(self) -> dict:
        data = {"row": self.row, "score": round(self.score, 6), "text": self.text}
        return data if self.line is None else {**data, "line": self.line}


class DocumentModel(Indexed):
    """Word vectors plus one vector per corpus document, and new text embedded alike.

    A document model holds its word vectors rather than being them: word
    queries go to :attr:`word_vectors` (``model.word_vectors.most_similar("영화")``),
    which refuses the random word vectors of a PV-DBOW model. The model and its
    word vectors share one ``meta`` (what ``koembed.json`` holds, with the
    ``documents`` section) and the text pipeline.

    Subclasses set ``kind``, implement :meth:`_embed_tokens` and check their
    own arrays in :meth:`_check_arrays`. Build one with
    :func:`koembed.train_documents`, or :func:`koembed.load` a saved one.

    Args:
        word_vectors: the vocabulary, its vectors and counts, and the metadata.
        arrays: ``doc_vectors``, ``doc_text``, ``doc_offsets`` and the
            method's arrays, each saved as ``NAME.npy``.

    Raises:
        BadInputError: the document arrays are missing or do not fit.
    """

    #: what ``koembed.json`` records as ``kind`` (see ``koembed.registry.MODEL_KINDS``)
    kind: ClassVar[str]
    index_of: ClassVar[str] = INDEXED_DOCUMENTS
    #: what a nearest-document score is (``nearest_documents``)
    score_name: ClassVar[str] = "cosine"
    #: what a document with no vocabulary word gets
    empty_vector: ClassVar[str] = "zero vectors"

    def __init__(self, word_vectors: Embeddings, arrays: Mapping[str, np.ndarray]):
        self._word_vectors = word_vectors
        self.arrays = dict(arrays)
        self._doc_norms: np.ndarray | None = None
        self._neighbours = None
        self._check_arrays()

    def _check_arrays(self) -> None:
        """Check the document arrays; subclasses add their method's.

        Raises:
            BadInputError: they are missing or do not fit.
        """
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

    @classmethod
    def from_arrays(
        cls,
        words: Sequence[str],
        vectors: np.ndarray,
        counts: Any,
        meta: dict,
        arrays: Any,
        **where: Any,
    ) -> DocumentModel:
        """Rebuild a saved model of this kind from what its directory holds: the
        arguments of :meth:`koembed.models.vectors.WordVectors.from_arrays`, whose
        extra arrays are the documents' here."""
        return cls(Embeddings.from_arrays(words, vectors, counts, meta, {}, **where), arrays)

    def __repr__(self) -> str:
        return (
            f"<DocumentModel {self.meta.get('method')}: {self.n_documents} documents x "
            f"{self.doc_dim} dims, {self.vocab_size} words>"
        )

    # -- the word vectors ------------------------------------------------------

    @property
    def word_vectors(self) -> Embeddings:
        """The word vectors, for word queries (similar, analogy, evaluate, export...).

        Raises:
            BadInputError: a PV-DBOW model trained without word vectors: its
                word vectors are random.
        """
        if not self.word_vectors_trained:
            raise BadInputError(
                "this PV-DBOW model trained no word vectors (its word vectors are random); "
                "query its documents instead (koembed similar --text), or train it with "
                "dbow_words or dm",
            )
        return self._word_vectors

    @property
    def word_vectors_trained(self) -> bool:
        """Whether the word vectors were trained (all but PV-DBOW without ``dbow_words``)."""
        return bool(self.documents.get("word_vectors_trained", True))

    @property
    def vocab_size(self) -> int:
        """Words in the vocabulary, those whose tokens the documents are embedded from."""
        return len(self._word_vectors)

    @property
    def meta(self) -> dict:
        """Method, parameters, corpus, pipeline and the ``documents`` section (shared
        with the word vectors)."""
        return self._word_vectors.meta

    @meta.setter
    def meta(self, meta: dict) -> None:
        self._word_vectors.meta = meta

    @property
    def base_dir(self) -> Path | None:
        """The model directory this was loaded from or saved to."""
        return self._word_vectors.base_dir

    def pipeline(self):
        """The normalizer + tokenizer the training corpus went through."""
        return self._word_vectors.pipeline()

    def save(
        self, path: str | os.PathLike, *, binary: bool = False, overwrite: bool = False
    ) -> Path:
        """Write a model directory: the word vectors' files plus the arrays.

        Raises:
            OutputExistsError: ``path`` exists and ``overwrite`` is false.
        """
        self._neighbours = None  # a new directory has no index
        return save_model(
            self._word_vectors,
            path,
            kind=self.kind,
            arrays=self.arrays,
            binary=binary,
            overwrite=overwrite,
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

    def known_tokens(self, documents: Sequence[Sequence[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Every token of ``documents`` that is in the vocabulary, as two arrays:
        its document's position and its vocabulary row (in order)."""
        lengths = np.fromiter(map(len, documents), dtype=np.int64, count=len(documents))
        tokens = list(chain.from_iterable(documents))
        index = self._word_vectors.index
        ids = np.fromiter(map(index.get, tokens, repeat(-1)), dtype=np.int64, count=len(tokens))
        rows = np.repeat(np.arange(len(documents), dtype=np.int64), lengths)
        known = ids >= 0
        return rows[known], ids[known]

    @abstractmethod
    def _embed_tokens(self, documents: Sequence[Sequence[str]]) -> np.ndarray:
        """The method's embedding of non-empty ``documents`` (rows of zeros for no known word)."""

    # -- nearest documents ------------------------------------------------------

    def most_similar_documents(
        self, text: str, topn: int = 10, *, exact: bool = False
    ) -> list[DocumentMatch]:
        """The corpus documents nearest to ``text`` by cosine similarity, best first.

        ``exact`` scores every document even when the model directory has an
        approximate index (:meth:`neighbour_index`).

        Raises:
            BadInputError: ``topn`` < 1, no token of ``text`` is in the
                vocabulary, or the index is damaged or stale.
        """
        return self.most_similar_documents_resolved(text, topn, exact=exact)[0]

    def most_similar_documents_resolved(
        self, text: str, topn: int = 10, *, exact: bool = False
    ) -> tuple[list[DocumentMatch], ResolvedQuery]:
        """Like :meth:`most_similar_documents`, also saying how ``text`` was tokenized."""
        if topn < 1:
            raise BadInputError(f"topn must be 1 or more, got {topn}", parameters=("topn",))
        tokens = self.pipeline()(text)
        index = self._word_vectors.index
        found = [t for t in tokens if t in index]
        resolved = ResolvedQuery(text, tokens, found, [t for t in tokens if t not in index])
        if not found:
            how = f" (tokenized as {' / '.join(tokens)})" if tokens else ""
            raise BadInputError(
                f"no token of {text!r}{how} is in the model's vocabulary; "
                f"try other words or a longer text"
            )
        vector = self.embed_tokens([tokens])[0]
        return self.nearest_documents(vector, topn, exact=exact), resolved

    def nearest_documents(
        self, vector: np.ndarray, topn: int = 10, *, exact: bool = False
    ) -> list[DocumentMatch]:
        """The corpus documents nearest to ``vector`` (by :attr:`score_name`), best
        first: from the approximate index's candidates where the model directory
        has one (unless ``exact``), else from every document's score."""
        approximate = None if exact else self.neighbour_index()
        length = float(np.linalg.norm(vector))
        if approximate is not None and length > 0:
            unit = vector.astype(np.float32) / length
            best, scores = approximate.nearest(self.doc_vectors, unit, topn, self.doc_norms)
        else:
            all_scores = self.document_scores(vector)
            if all_scores is None:
                return []
            wanted = min(topn, len(all_scores))
            best = np.argpartition(-all_scores, wanted - 1)[:wanted]
            best = best[np.argsort(-all_scores[best], kind="stable")]
            scores = all_scores[best]
        lines = self.documents.get("rows", "lines") == "lines"
        return [
            DocumentMatch(
                int(i), float(score), self.document(int(i)), int(i) + 1 if lines else None
            )
            for i, score in zip(best, scores)
        ]

    # -- the approximate index (Indexed) -------------------------------------

    def _index_rows(self) -> np.ndarray:
        return self.doc_vectors / self.doc_norms[:, None]  # zero rows stay zero (norm inf)

    def _index_source(self) -> str:
        return self.meta.get("files", {}).get(DOC_VECTORS, f"{DOC_VECTORS}.npy")

    def _index_size(self) -> int:
        return self.n_documents

    def _index_refusal(self) -> str | None:
        if self.score_name == "cosine":
            return None
        return (
            f"{self.meta.get('method')} scores documents by {self.score_name}, which the "
            f"approximate index cannot search; its queries stay exact"
        )

    def document_scores(self, vector: np.ndarray) -> np.ndarray | None:
        """Every corpus document's cosine similarity to ``vector`` (None for a zero vector)."""
        norm = float(np.linalg.norm(vector))
        if norm == 0:
            return None
        # Threaded BLAS, as in Embeddings.most_similar_resolved.
        scores = self.doc_vectors @ (vector.astype(np.float32) / norm)
        scores /= self.doc_norms
        return scores

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


def word_vectors_of(model: Embeddings | DocumentModel) -> Embeddings:
    """The word vectors of any model :func:`koembed.load` gives: a word model
    itself, a document model's :attr:`~DocumentModel.word_vectors`.

    Raises:
        BadInputError: a PV-DBOW model, whose word vectors are random.
    """
    return model.word_vectors if isinstance(model, DocumentModel) else model
