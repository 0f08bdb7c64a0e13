"""What every document-embedding method shares: the model type, its trainer
base, and what a nearest-document answer shows.

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

Which text a row shows: by default the raw corpus line, re-read through the
tokenized corpus's manifest (it records the input files, column, encoding), so
an answer reads "연기가 정말 좋았던 영화" rather than its morphemes. The
tokenized file has one line per input line, so the two are aligned line by
line; the line counts are checked. The text is copied into the model, which
answers queries after the corpus is gone. Where the raw input cannot be read
again (standard input, a tokenized file without manifest), the tokenized line
is shown instead.
"""

from __future__ import annotations

import logging
import os
from abc import abstractmethod
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from koembed.corpus import STDIN, Corpus, read_corpus
from koembed.embeddings import Embeddings, ResolvedQuery
from koembed.errors import BadInputError
from koembed.progress import ProgressCallback
from koembed.registry import DOCUMENT_TRAINERS
from koembed.tokenize import TokenizedCorpus
from koembed.trainers.base import Param, Trainer

log = logging.getLogger(__name__)

DOCUMENTS = "documents"  # the koembed.json section
DOC_VECTORS = "doc_vectors"
DOC_TEXT = "doc_text"
DOC_OFFSETS = "doc_offsets"
SHOW_CHOICES = ("auto", "text", "tokens", "none")
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


def model_class(meta: dict) -> type[DocumentModel]:
    """The :class:`DocumentModel` subclass that reads a model saved by ``meta['method']``."""
    method = meta.get("method")
    if method not in DOCUMENT_TRAINERS:
        raise BadInputError(
            f"koembed.json describes a document model of unknown method {method!r} "
            f"(known: {', '.join(DOCUMENT_TRAINERS.names())}); train the model again"
        )
    return DOCUMENT_TRAINERS.get(method).model_class


# -- what a row shows -------------------------------------------------------------


def pack_texts(texts: Iterable[str]) -> dict[str, np.ndarray]:
    """``doc_text`` (UTF-8 bytes end to end) and ``doc_offsets`` arrays for ``texts``."""
    buffer = bytearray()
    offsets = array("q", [0])
    for text in texts:
        buffer += text.encode("utf-8")
        offsets.append(len(buffer))
    return {
        DOC_TEXT: np.frombuffer(bytes(buffer), dtype=np.uint8).copy(),
        DOC_OFFSETS: np.asarray(offsets, dtype=np.int64),
    }


def resolve_show(corpus: TokenizedCorpus, show: str) -> str:
    """``auto`` -> ``text`` when the raw corpus can be read again, else ``tokens``."""
    if show != "auto":
        if show == "text":
            raw_corpus(corpus)  # fails now, with the reason, rather than after training
        return show
    try:
        raw_corpus(corpus)
    except BadInputError as error:
        log.info("documents will show their tokens: %s", error)
        return "tokens"
    return "text"


def raw_corpus(corpus: TokenizedCorpus, column: int | None = None) -> Corpus:
    """The raw corpus ``corpus`` was tokenized from, read as it was (or another column).

    Raises:
        BadInputError: the manifest does not say where the input is, it came
            from standard input, or a file is gone.
    """
    source = corpus.manifest.get("input") or {}
    paths = source.get("paths") or []
    if "lines" not in corpus.manifest or not paths:
        raise BadInputError(
            f"{corpus.path} has no manifest from 'koembed tokenize', so its raw text "
            f"cannot be found; use --show tokens"
        )
    if STDIN in paths:
        raise BadInputError(
            f"{corpus.path} was tokenized from standard input, which cannot be read again; "
            f"tokenize from a file, or use --show tokens"
        )
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        raise BadInputError(
            f"the raw corpus {missing[0]} that {corpus.path} was tokenized from is gone; "
            f"restore it, or use --show tokens"
        )
    return read_corpus(
        paths,
        column=column if column is not None else source.get("column"),
        delimiter=source.get("delimiter") or "\t",
        header=bool(source.get("header")),
        encoding=source.get("encoding") or "utf-8",
        errors=source.get("errors") or "strict",
        normalize="none",
        max_lines=source.get("max_lines"),
    )


def line_texts(corpus: TokenizedCorpus, show: str) -> Iterator[str]:
    """What each line of ``corpus`` shows, line by line; checks the raw text is aligned.

    Args:
        show: ``text``, ``tokens`` or ``none`` (see :func:`resolve_show`).

    Raises:
        BadInputError: the raw corpus has another number of lines than the
            tokenized one (it changed since it was tokenized).
    """
    if show == "none":
        with open(corpus.path, encoding="utf-8") as handle:
            for _ in handle:
                yield ""
        return
    if show == "tokens":
        with open(corpus.path, encoding="utf-8") as handle:
            for line in handle:
                yield line.rstrip("\n")
        return
    expected = corpus.manifest["lines"]
    seen = 0
    for line in raw_corpus(corpus).iter_raw():
        seen += 1
        if seen > expected:
            break
        yield line.strip()
    if seen != expected:
        raise BadInputError(
            f"the raw corpus of {corpus.path} now has {'more' if seen > expected else seen} "
            f"lines, but {expected} were tokenized; it changed since: tokenize it again, "
            f"or use --show tokens"
        )


def read_tags(
    corpus: TokenizedCorpus, path: str | os.PathLike | None, column: int | None
) -> list[str]:
    """One tag per line of ``corpus``: a column of the raw corpus, or of a tags file.

    Args:
        path: a file with one line per corpus line; ``None`` reads the raw
            corpus ``corpus`` was tokenized from (its manifest says where).
        column: the 1-based column holding the tag; ``None`` takes whole lines
            (of ``path``).

    Raises:
        BadInputError: a missing or empty tag, or not one tag per corpus line.
    """
    if path is None:
        if column is None:
            raise BadInputError("give --tag-column N (a column of the raw corpus) or --tags FILE")
        source = raw_corpus(corpus, column=column)
        where = f"column {column} of {', '.join(source.paths)}"
    else:
        source = read_corpus(path, column=column, normalize="none")
        where = f"{path}" + (f" column {column}" if column else "")
    expected = _count_lines(corpus)
    tags: list[str] = []
    for lineno, tag in enumerate(source.iter_raw(), start=1):
        tag = tag.strip()
        if not tag:
            raise BadInputError(f"line {lineno} of {where} has an empty tag; every line needs one")
        tags.append(tag)
        if len(tags) > expected:
            break
    if len(tags) != expected:
        raise BadInputError(
            f"{where} has {'more than ' + str(expected) if len(tags) > expected else len(tags)} "
            f"tag lines but {corpus.path} has {expected} lines; they must match line by line"
        )
    return tags


def _count_lines(corpus: TokenizedCorpus) -> int:
    if "lines" in corpus.manifest:
        return int(corpus.manifest["lines"])
    with open(corpus.path, "rb") as handle:
        return sum(1 for _ in handle)


def documents_meta(rows: str, count: int, show: str, **more: Any) -> dict:
    """The ``documents`` section of a document model's metadata."""
    return {DOCUMENTS: {"rows": rows, "count": int(count), "shows": show, **more}}


def load_documents(path: str | os.PathLike) -> DocumentModel:
    """Load a document model directory (:func:`koembed.load` for any model).

    Raises:
        BadInputError: nothing loadable at ``path``, or a word model.
    """
    from koembed.embeddings import load

    model = load(path)
    if not isinstance(model, DocumentModel):
        method = model.meta.get("method", "imported")
        raise BadInputError(
            f"{path} holds word vectors ({method}), not documents; train a document model "
            f"with 'koembed train doc2vec|sif|lsa-doc'"
        )
    return model
