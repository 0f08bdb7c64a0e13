"""lsa-doc: the document side of LSA (:mod:`koembed.trainers.lsa`), with fold-in.

Training is the ``lsa`` trainer's, unchanged (TF-IDF document-term matrix,
truncated SVD ``X ~ U S V^T``); its document vectors ``X V`` become the
model's documents. A new document is folded in the way the corpus documents
were computed: its term counts (``1 + log`` with ``sublinear_tf``) times the
saved ``idf``, scaled to unit length, times ``V`` (the word vectors over
``S^eig``). Folding in a corpus line gives back its stored vector.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from koembed.documents.base import SHOW_PARAM, DocumentTrainer
from koembed.documents.rows import documents_meta, line_texts, pack_texts, resolve_show
from koembed.errors import BadInputError
from koembed.models import Embeddings
from koembed.models.documents import DOC_VECTORS, DocumentModel
from koembed.progress import ProgressCallback
from koembed.tokenize import TokenizedCorpus
from koembed.trainers.lsa import LsaTrainer, join_blocks


class LsaDocModel(DocumentModel):
    """LSA document vectors; new text folded in through ``idf`` and ``V``."""

    kind = "lsa-doc"

    _projection: np.ndarray | None = None  # computed on first use

    def _check_arrays(self) -> None:
        super()._check_arrays()
        words = self._word_vectors
        idf = self.arrays.get("idf")
        singular = self.arrays.get("singular_values")
        if idf is None or idf.shape != (len(words),):
            raise BadInputError(
                f"an lsa-doc model needs idf.npy with one value per word ({len(words)}); "
                f"train the model again"
            )
        if singular is None or singular.shape != (words.dim,):
            raise BadInputError(
                f"an lsa-doc model needs singular_values.npy with {words.dim} values; "
                f"train the model again"
            )

    @property
    def projection(self) -> np.ndarray:
        """``V``: the word vectors divided by ``S^eig`` (terms x dims)."""
        if self._projection is None:
            eig = float(self.meta.get("params", {}).get("eig", 1.0))
            singular = np.asarray(self.arrays["singular_values"], dtype=np.float64)
            self._projection = np.ascontiguousarray(
                np.asarray(self._word_vectors.vectors, dtype=np.float64) / singular**eig,
                dtype=np.float32,
            )
        return self._projection

    def _embed_tokens(self, documents: Sequence[Sequence[str]]) -> np.ndarray:
        from scipy.sparse import csr_matrix

        rows, ids = self.known_tokens(documents)
        shape = (len(documents), self.vocab_size)
        matrix = csr_matrix((np.ones(len(ids), dtype=np.float64), (rows, ids)), shape=shape)
        matrix.sum_duplicates()  # entries are now term counts
        if self.meta.get("params", {}).get("sublinear_tf"):
            matrix.data = 1.0 + np.log(matrix.data)
        matrix.data *= np.asarray(self.arrays["idf"], dtype=np.float64)[matrix.indices]
        norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        matrix = csr_matrix(matrix.multiply(1.0 / norms[:, None]), dtype=np.float32)
        return np.asarray(matrix @ self.projection, dtype=np.float32)


class LsaDocTrainer(DocumentTrainer):
    """The ``lsa`` trainer, keeping its document vectors as the documents."""

    method = "lsa-doc"
    summary = "LSA documents: TF-IDF x truncated SVD; new text folded in."
    example = (
        "Example: koembed train lsa-doc work/nsmc.mecab -o models/lsa-doc --dim 100 "
        "--min-count 5 (add --doc-sep when documents are separated by blank lines)"
    )
    model_class = LsaDocModel
    params = {
        **{name: spec for name, spec in LsaTrainer.params.items() if name != "seed"},
        "show": SHOW_PARAM,
        "seed": LsaTrainer.params["seed"],
    }

    def _check_together(self, params: dict[str, Any]) -> None:
        LsaTrainer()._check_together(params)

    def _fit(
        self, corpus: TokenizedCorpus, params: dict[str, Any], progress: ProgressCallback | None
    ) -> DocumentModel:
        show = resolve_show(corpus, params["show"])
        lsa_params = {name: params[name] for name in LsaTrainer.params}
        lsa = LsaTrainer(**lsa_params)._fit(corpus, lsa_params, progress)
        doc_vectors = lsa.arrays[DOC_VECTORS]
        texts = line_texts(corpus, show)
        if params["doc_sep"]:
            texts = _block_texts(corpus, texts)
        rows = "blocks" if params["doc_sep"] else "lines"
        word_vectors = Embeddings(
            lsa.words,
            lsa.vectors,
            lsa.counts,
            {**lsa.meta, **documents_meta(rows, len(doc_vectors), show)},
        )
        model = LsaDocModel(word_vectors, {**lsa.arrays, **pack_texts(texts)})
        model.meta["documents"]["empty"] = int((~doc_vectors.any(axis=1)).sum())
        return model


def _block_texts(corpus: TokenizedCorpus, texts: Iterator[str]) -> Iterator[str]:
    """Join the texts of each blank-line-separated block, as ``lsa`` groups its documents."""
    with open(corpus.path, encoding="utf-8") as handle:
        # Driven by the texts, so their line-count check runs to the end.
        yield from join_blocks((bool(handle.readline().strip()), text) for text in texts)
