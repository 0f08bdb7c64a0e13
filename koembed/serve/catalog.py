"""The models a server answers for, loaded once at start and addressed by name."""

from __future__ import annotations

import contextlib
import dataclasses
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from koembed.errors import BadInputError, UnknownNameError
from koembed.models import DocumentModel, Embeddings, load, word_vectors_of

# What a model's information leaves out of its metadata: long or internal.
_HIDDEN_META = ("files", "versions", "format")


@dataclass(frozen=True)
class ModelSource:
    """A model to serve: its name in requests and its directory (or vectors file)."""

    name: str
    path: str


def model_sources(specs: Sequence[str]) -> list[ModelSource]:
    """``["models/w2v", "ppmi=models/ppmi"]`` -> named sources; a bare path is named
    after its last part.

    Raises:
        BadInputError: no model, an empty name or path, or one name twice.
    """
    if not specs:
        raise BadInputError("give at least one model, e.g. model=models/w2v", parameters=("model",))
    sources = []
    for spec in specs:
        name, equals, path = spec.partition("=")
        if not equals or os.sep in name or (os.altsep and os.altsep in name):
            name, path = Path(spec.rstrip("/\\")).name, spec
        if not name or not path:
            raise BadInputError(
                f"model {spec!r} has no name or no path; give PATH or NAME=PATH",
                parameters=("model",),
            )
        sources.append(ModelSource(name, path))
    names = [source.name for source in sources]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise BadInputError(
            f"two models are named {', '.join(twice)}; name them apart with NAME=PATH "
            f"(e.g. w2v-small=models/small/w2v)",
            parameters=("model",),
        )
    return sources


class ServedModel:
    """A loaded model and what the server tells of it."""

    def __init__(self, source: ModelSource, model: Embeddings | DocumentModel):
        self.name = source.name
        self.path = source.path
        self.model = model
        self._info: dict | None = None

    @property
    def is_document_model(self) -> bool:
        return isinstance(self.model, DocumentModel)

    def words(self) -> Embeddings:
        """The word vectors (a document model's own).

        Raises:
            BadInputError: a PV-DBOW model, whose word vectors are random.
        """
        return word_vectors_of(self.model)

    def documents(self) -> DocumentModel:
        """The model as a document model.

        Raises:
            BadInputError: a word model.
        """
        if not isinstance(self.model, DocumentModel):
            raise BadInputError(
                f"model {self.name!r} holds word vectors only; nearest documents need a "
                f"document model (doc2vec, sif, lsa-doc, lda)",
                parameters=("model",),
            )
        return self.model

    def indexes(self) -> dict[str, Any]:
        """The approximate indexes (``koembed index``) its queries go through,
        opened and checked: ``{"words": {...}, "documents": {...}}``.

        Raises:
            BadInputError: an index is damaged or stale.
        """
        found = {}
        models = [self.model] if self.is_document_model else []
        with contextlib.suppress(BadInputError):  # PV-DBOW: no word queries
            models.append(self.words())
        for model in models:
            index = model.neighbour_index()
            if index is not None:
                info = index.info
                found[info.what] = {
                    "library": f"{info.library} {info.library_version}",
                    "indexed": info.indexed,
                    **dataclasses.asdict(info.settings),
                }
        return found

    def info(self) -> dict[str, Any]:
        """Name, method, parameters, corpus, vocabulary size, tokenizer: as JSON."""
        if self._info is None:
            meta = self.model.meta
            words = self.model.word_vectors if self.is_document_model else self.model
            info = {
                "name": self.name,
                "kind": self.model.kind,
                "method": meta.get("method"),
                "vocab_size": len(words),
                "dim": words.dim,
                "documents": self.model.n_documents if self.is_document_model else None,
                "indexes": self.indexes(),
                "tokenizer": (meta.get("pipeline") or {}).get("tokenizer"),
                "params": meta.get("params") or {},
                "corpus": meta.get("corpus"),
                "meta": {k: v for k, v in meta.items() if k not in _HIDDEN_META},
            }
            self._info = info
        return self._info


class ModelCatalog:
    """The served models, in the order given; the first answers requests that name none."""

    def __init__(self, models: Iterable[ServedModel]):
        self.models = {served.name: served for served in models}
        if not self.models:
            raise BadInputError("a server needs at least one model", parameters=("model",))

    @classmethod
    def load(cls, sources: Sequence[ModelSource]) -> ModelCatalog:
        """Load every source (no pickles) and open its approximate indexes, failing
        on the first bad one as the CLI does."""
        served = [ServedModel(source, load(source.path)) for source in sources]
        for model in served:
            model.indexes()
        return cls(served)

    def warm(self) -> None:
        """Do once, before the first request, what each model's first query would:
        unit vectors, the prefix index, the tokenizer."""
        for served in self.models.values():
            try:
                words = served.words()
            except BadInputError:  # PV-DBOW: no word queries to prepare for
                continue
            words.unit_vectors  # noqa: B018
            words.complete("가", 1)
            words.pipeline()("가")

    def get(self, name: str | None) -> ServedModel:
        """The model called ``name``, or the first for ``None``.

        Raises:
            UnknownNameError: no model of that name (the message lists them).
        """
        if name is None:
            return next(iter(self.models.values()))
        served = self.models.get(name)
        if served is None:
            raise UnknownNameError("model", name, self.models)
        return served
