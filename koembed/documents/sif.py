"""SIF sentence embeddings (Arora, Liang & Ma 2017), and uSIF (Ethayarajh 2018).

"A simple but tough-to-beat baseline for sentence embeddings":

1. a sentence vector is the weighted mean of its words' vectors, each word
   weighted ``a / (a + p(w))``, ``p(w)`` its frequency in the corpus (so
   frequent words such as particles count little);
2. the projection of every sentence vector on the first principal
   component(s) of the corpus's sentence vectors is removed (what all
   sentences share: mostly syntax and frequency, not meaning).

As in the authors' code the components are those of the uncentred matrix
(its top right singular vectors), and the mean divides by the number of the
sentence's words that have a vector. The frequencies (``vocab.txt`` counts and
``weights.npy``) and the removed components (``components.npy``) are saved, so
a new sentence is embedded exactly as a corpus sentence: embedding the corpus
lines again gives the stored document vectors.

Variants (``variant``):

* ``sif``: as above, ``components`` (default 1) removed in full;
* ``usif``: Ethayarajh (2018), "Unsupervised Random Walk Sentence
  Embeddings": unit-length word vectors weighted ``a / (a/2 + p(w))``, with
  ``a`` derived from the vocabulary size ``V`` and the mean sentence length
  ``n`` (no parameter to tune): ``alpha`` = share of the words with
  ``p(w) > 1 - (1 - 1/V)^n``, ``a = (1 - alpha) / (alpha V / 2)``; then each of
  the first ``components`` (default 5) is removed in proportion to its share
  of their squared singular values. Here ``V`` counts the corpus's distinct
  tokens and ``n`` is its mean tokens per non-empty line;
* ``average``: the plain mean of the word vectors (weights 1, nothing
  removed unless ``components`` says so): the baseline SIF improves on.

Embedding is a sparse matrix (documents x vocabulary, each entry a word's
weight over the document's length) times the word matrix, computed in
batches: no Python loop per word beyond the dictionary look-up of each token.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from koembed.documents.base import SHOW_PARAM, DocumentTrainer
from koembed.documents.rows import documents_meta, line_texts, pack_texts, resolve_show
from koembed.errors import BadInputError
from koembed.models import Embeddings, load
from koembed.models.documents import BATCH, DOC_VECTORS, DocumentModel
from koembed.progress import ProgressCallback, report
from koembed.tokenize import TokenizedCorpus
from koembed.trainers.base import SEED_PARAM, WORKERS_PARAM, Param

log = logging.getLogger(__name__)

VARIANTS = ("sif", "usif", "average")
DEFAULT_COMPONENTS = {"sif": 1, "usif": 5, "average": 0}
# word2vec settings used when no --word-model is given.
WORD2VEC_PARAMS = ("dim", "window", "min_count", "epochs", "workers", "seed")


class SifModel(DocumentModel):
    """Weighted mean of word vectors minus the common component(s).

    Arrays: ``weights`` (one per vocabulary word), ``components`` (``k x dim``,
    the removed directions, unit length) and ``component_scale`` (how much of
    each is removed: 1 for SIF, uSIF's share of the squared singular values).
    """

    kind = "sif"

    _scaled: np.ndarray | None = None  # computed on first use

    def _check_arrays(self) -> None:
        super()._check_arrays()
        words = self._word_vectors
        weights = self.arrays.get("weights")
        components = self.arrays.get("components")
        scale = self.arrays.get("component_scale")
        if weights is None or weights.shape != (len(words),):
            raise BadInputError(
                f"a SIF model needs weights.npy with one weight per word ({len(words)}); "
                f"train the model again"
            )
        if (
            components is None
            or scale is None
            or components.ndim != 2
            or components.shape[1] != words.dim
            or scale.shape != (components.shape[0],)
        ):
            raise BadInputError(
                f"a SIF model needs components.npy of shape (k, {words.dim}) and "
                f"component_scale.npy of shape (k,); train the model again"
            )

    @property
    def variant(self) -> str:
        return self.meta.get("sif", {}).get("variant", "sif")

    @property
    def scaled_vectors(self) -> np.ndarray:
        """Each word's vector times its weight (unit-length vectors for uSIF)."""
        if self._scaled is None:
            words = self._word_vectors
            base = words.unit_vectors if self.variant == "usif" else words.vectors
            weights = np.asarray(self.arrays["weights"], dtype=np.float32)
            scaled = np.asarray(base, dtype=np.float32) * weights[:, None]
            self._scaled = np.ascontiguousarray(scaled)
        return self._scaled

    def weighted_average(self, documents: Sequence[Sequence[str]]) -> np.ndarray:
        """Step 1: the weighted mean of each document's word vectors (zeros for none)."""
        from scipy.sparse import csr_matrix

        rows, ids = self.known_tokens(documents)
        per_row = np.bincount(rows, minlength=len(documents))
        data = (1.0 / per_row[rows]).astype(np.float32)
        # Repeated (row, word) entries are summed when the matrix is built.
        shape = (len(documents), self.vocab_size)
        matrix = csr_matrix((data, (rows, ids)), shape=shape, dtype=np.float32)
        return np.asarray(matrix @ self.scaled_vectors, dtype=np.float32)

    def remove_components(self, vectors: np.ndarray) -> np.ndarray:
        """Step 2, in place: subtract the (scaled) projections on the stored components."""
        components = np.asarray(self.arrays["components"], dtype=np.float32)
        if len(components):
            scale = np.asarray(self.arrays["component_scale"], dtype=np.float32)
            vectors -= ((vectors @ components.T) * scale) @ components
        return vectors

    def _embed_tokens(self, documents: Sequence[Sequence[str]]) -> np.ndarray:
        return self.remove_components(self.weighted_average(documents))


class SifTrainer(DocumentTrainer):
    """SIF / uSIF / plain average over a word model's vectors."""

    method = "sif"
    summary = (
        "SIF (Arora et al. 2017): frequency-weighted mean of word vectors minus the common part."
    )
    example = (
        "Examples: koembed train sif work/nsmc.mecab -o models/sif --word-model models/w2v; "
        "koembed train sif work/nsmc.mecab -o models/usif --variant usif (trains word2vec first)"
    )
    model_class = SifModel
    # The word2vec settings are for the model trained without word_model: only
    # those given are checked against it.
    params = {
        "word_model": Param(
            None,
            str,
            allow_none=True,
            help="Word vectors to average (a model directory, or a vectors file); default: "
            "train word2vec first.",
        ),
        "variant": Param("sif", str, choices=VARIANTS, help="sif, usif, or average (plain mean)."),
        "sif_a": Param(1e-3, float, 1e-12, 1.0, help="SIF's a in the weight a / (a + p(w))."),
        "components": Param(
            None,
            int,
            0,
            1_000,
            allow_none=True,
            help="Principal components removed (default: 1 for sif, 5 for usif, 0 for average).",
        ),
        "dim": Param(100, int, 1, 10_000, help="word2vec dimensions (without --word-model)."),
        "window": Param(5, int, 1, 1_000, help="word2vec window (without --word-model)."),
        "min_count": Param(5, int, 1, help="word2vec min count (without --word-model)."),
        "epochs": Param(5, int, 1, 10_000, help="word2vec epochs (without --word-model)."),
        "show": SHOW_PARAM,
        "workers": replace(WORKERS_PARAM, help="word2vec threads."),
        "seed": replace(SEED_PARAM, help="word2vec random seed (without --word-model)."),
    }

    def _check_together(self, params: dict[str, Any]) -> None:
        if params["word_model"] is not None:
            clash = sorted(set(self.given) & set(WORD2VEC_PARAMS) - {"workers"})
            if clash:
                raise BadInputError(
                    f"{clash[0]} sets up the word2vec model trained when no word_model is "
                    f"given; leave it out with word_model",
                    parameters=(clash[0], "word_model"),
                )
        if "sif_a" in self.given and params["variant"] != "sif":
            raise BadInputError(
                f"sif_a is SIF's parameter; {params['variant']} does not use it (uSIF derives "
                f"its own a from the corpus)",
                parameters=("sif_a",),
            )

    def _fit(
        self, corpus: TokenizedCorpus, params: dict[str, Any], progress: ProgressCallback | None
    ) -> DocumentModel:
        show = resolve_show(corpus, params["show"])
        words = self._word_vectors(corpus, params, progress)
        variant = params["variant"]
        k = params["components"]
        if k is None:
            k = DEFAULT_COMPONENTS[variant]
        if k > words.dim:
            raise BadInputError(
                f"components({k}) must be <= the word vectors' dimensions ({words.dim})"
            )

        counts, lines, nonempty = _count_tokens(corpus)
        total = sum(counts.values())
        if total == 0:
            raise BadInputError(f"{corpus.path} holds no tokens; tokenize a non-empty corpus")
        word_counts = np.fromiter(
            (counts.get(w, 0) for w in words.words), dtype=np.int64, count=len(words)
        )
        p = word_counts / total
        settings: dict[str, Any] = {"variant": variant, "corpus_tokens": int(total)}
        if variant == "sif":
            a = params["sif_a"]
            weights = a / (a + p)
            settings["a"] = a
        elif variant == "usif":
            a, alpha, mean_length = _usif_a(counts, total, nonempty)
            weights = a / (0.5 * a + p)
            settings.update(a=a, alpha=alpha, mean_length=mean_length, types=len(counts))
        else:
            weights = np.ones(len(words))
        settings["word_model"] = params["word_model"] or "word2vec trained on the corpus"
        settings["components"] = k

        model = SifModel(
            Embeddings(
                words.words,
                words.vectors,
                word_counts,
                {**documents_meta("lines", lines, show), "sif": settings},
            ),
            {
                "weights": weights.astype(np.float32),
                "components": np.zeros((0, words.dim), dtype=np.float32),
                "component_scale": np.zeros(0, dtype=np.float32),
                # Filled in below, once the components are known.
                DOC_VECTORS: np.zeros((0, words.dim), dtype=np.float32),
                **pack_texts(()),
            },
        )
        vectors = np.empty((lines, words.dim), dtype=np.float32)
        gram = np.zeros((words.dim, words.dim), dtype=np.float64)
        done = 0
        for batch in _batches(corpus):
            part = model.weighted_average(batch)
            vectors[done : done + len(part)] = part
            gram += part.T.astype(np.float64) @ part
            done += len(part)
            report(progress, "embed sentences", done, lines, "sentences")
        if not gram.any():
            raise BadInputError(
                f"no token of {corpus.path} has a vector in the word model; check that both "
                f"were tokenized alike"
            )
        components, scale, share = _principal_components(gram, k, variant)
        model.arrays["components"] = components
        model.arrays["component_scale"] = scale
        model.remove_components(vectors)
        model.arrays[DOC_VECTORS] = vectors
        model.arrays.update(pack_texts(line_texts(corpus, show)))
        model._doc_norms = None
        empty = int((~vectors.any(axis=1)).sum())
        model.meta["documents"]["empty"] = empty
        settings["removed_variance_share"] = share
        log.info(
            "%s: %d sentences, %d with no word in the vocabulary; removed %d component(s)",
            variant,
            lines,
            empty,
            k,
        )
        return model

    def _word_vectors(
        self, corpus: TokenizedCorpus, params: dict[str, Any], progress: ProgressCallback | None
    ) -> Embeddings:
        if params["word_model"] is None:
            from koembed.trainers.word2vec import Word2VecTrainer

            settings = {name: params[name] for name in WORD2VEC_PARAMS}
            return Word2VecTrainer(**settings).fit(corpus, progress)
        words = load(params["word_model"])
        if isinstance(words, DocumentModel):
            if not words.word_vectors_trained:
                raise BadInputError(
                    f"{params['word_model']} is a PV-DBOW model without trained word vectors; "
                    f"give a word model, or a doc2vec one that trained its word vectors "
                    f"(dm, or dbow_words)"
                )
            words = words.word_vectors
        check_same_tokens(words, corpus, params["word_model"])
        return words


def check_same_tokens(words: Embeddings, corpus: TokenizedCorpus, where: str) -> None:
    """Refuse word vectors made from other tokens than the corpus's.

    Raises:
        BadInputError: the tokenizer, its options or the jamo step differ.
    """
    theirs = words.meta.get("pipeline")
    if not theirs:
        log.info("%s records no tokenizer; assuming it matches the corpus", where)
        return
    ours = corpus.pipeline_spec

    def key(spec: dict) -> tuple:
        tokenizer = spec.get("tokenizer", {})
        return tokenizer.get("name"), tokenizer.get("options") or {}, bool(spec.get("jamo"))

    if key(theirs) != key(ours):
        raise BadInputError(
            f"the word model {where} was trained on {_describe(theirs)} tokens but "
            f"{corpus.path} holds {_describe(ours)} tokens; tokenize the corpus as the word "
            f"model's corpus was, or leave word_model out to train word2vec on it",
            parameters=("word_model",),
        )


def _describe(spec: dict) -> str:
    tokenizer = spec.get("tokenizer", {})
    options = tokenizer.get("options") or {}
    shown = ", ".join(f"{k}={v}" for k, v in sorted(options.items()) if v not in (None, False))
    return (
        f"{tokenizer.get('name')}"
        + (f" ({shown})" if shown else "")
        + (" + jamo" if spec.get("jamo") else "")
    )


def _count_tokens(corpus: TokenizedCorpus) -> tuple[Counter, int, int]:
    """Token counts, lines, and non-empty lines of the corpus."""
    counts: Counter = Counter()
    lines = nonempty = 0
    with open(corpus.path, encoding="utf-8") as handle:
        for line in handle:
            tokens = line.split()
            lines += 1
            if tokens:
                nonempty += 1
                counts.update(tokens)
    return counts, lines, nonempty


def _batches(corpus: TokenizedCorpus) -> Any:
    batch: list[list[str]] = []
    with open(corpus.path, encoding="utf-8") as handle:
        for line in handle:
            batch.append(line.split())
            if len(batch) == BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _usif_a(counts: Counter, total: int, nonempty: int) -> tuple[float, float, float]:
    """uSIF's ``a`` from the vocabulary size and the mean sentence length."""
    types = len(counts)
    mean_length = total / max(nonempty, 1)
    threshold = 1 - (1 - 1 / types) ** mean_length
    frequent = sum(1 for c in counts.values() if c / total > threshold)
    # At least one word: a corpus so small that none passes would divide by zero.
    alpha = max(frequent, 1) / types
    a = (1 - alpha) / (alpha * 0.5 * types)
    return float(a), float(alpha), float(mean_length)


def _principal_components(
    gram: np.ndarray, k: int, variant: str
) -> tuple[np.ndarray, np.ndarray, float]:
    """The top ``k`` right singular vectors of the sentence matrix, from its Gram matrix.

    ``X^T X = V S^2 V^T``: its eigenvectors are the right singular vectors of
    ``X`` and its eigenvalues their squared singular values, exactly and
    cheaply (``dim x dim``). Returns the components (signs fixed so the
    largest coordinate is positive), how much of each to remove, and the
    share of the total squared norm they carry.
    """
    dim = gram.shape[0]
    if k == 0:
        return np.zeros((0, dim), np.float32), np.zeros(0, np.float32), 0.0
    values, vectors = np.linalg.eigh(gram)
    order = np.argsort(values)[::-1][:k]
    components = vectors[:, order].T
    signs = np.sign(components[np.arange(k), np.abs(components).argmax(axis=1)])
    components *= signs[:, None]
    top = np.clip(values[order], 0, None)
    # SIF removes each component in full; uSIF by its share of the top ones' variance.
    scale = top / max(top.sum(), 1e-300) if variant == "usif" else np.ones(k)
    share = float(top.sum() / max(values.clip(0, None).sum(), 1e-300))
    return components.astype(np.float32), scale.astype(np.float32), round(share, 6)
