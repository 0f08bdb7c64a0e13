"""doc2vec (Le & Mikolov 2014) through gensim: PV-DM and PV-DBOW.

Each document (a line, or every line sharing a tag with ``tags`` /
``tag_column``, e.g. a movie id) gets a vector trained with the word
vectors (PV-DM: the document vector joins the context words predicting the
middle word) or on its own (PV-DBOW: it predicts the document's words;
``dbow_words`` trains skip-gram word vectors alongside).

Training streams the tokenized file as tagged documents. gensim's faster
``corpus_file`` mode is not used: it can skip documents at the boundaries of
its worker chunks, leaving their vectors untrained (gensim issue #2757).

Saved without pickle: the word vectors (``vectors.npy``), their corpus counts
(``vocab.txt``), the output weights (``syn1neg.npy``) and the document vectors.
At load time a gensim ``Doc2Vec`` is rebuilt from them for inference.

Inference (``embed``) trains a new document vector against the frozen
weights, as gensim's ``infer_vector`` does, but with its random state fixed
per document: the start vector and the negative samples come from a seed made
of ``infer_seed`` and a checksum of the tokens. The same text therefore gets
the same vector in every call and every process, whatever else is embedded
with it (gensim's own ``infer_vector`` draws from a shared generator and
seeds with Python's salted ``hash``).
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from koembed.documents.base import SHOW_PARAM, DocumentTrainer
from koembed.documents.rows import documents_meta, line_texts, pack_texts, read_tags, resolve_show
from koembed.engines.gensim import model_settings, train_model
from koembed.errors import BadInputError
from koembed.models import Embeddings
from koembed.models.documents import DOC_VECTORS, DocumentModel
from koembed.progress import ProgressCallback
from koembed.tokenize import TokenizedCorpus
from koembed.trainers.base import DIM_PARAM, MIN_COUNT_PARAM, SEED_PARAM, WORKERS_PARAM, Param

log = logging.getLogger(__name__)

SYN1NEG = "syn1neg"


class Doc2VecModel(DocumentModel):
    """doc2vec document vectors; new text inferred against the frozen weights."""

    kind = "doc2vec"

    _gensim_model: Any = None  # rebuilt on first use

    def _check_arrays(self) -> None:
        super()._check_arrays()
        words = self._word_vectors
        syn1neg = self.arrays.get(SYN1NEG)
        if syn1neg is None or syn1neg.shape != (len(words), words.dim):
            raise BadInputError(
                f"a doc2vec model needs syn1neg.npy of shape ({len(words)}, {words.dim}); "
                f"train the model again"
            )
        if words.counts is None or len(words.counts) != len(words):
            raise BadInputError(
                "a doc2vec model needs the corpus counts in vocab.txt (negative sampling "
                "draws by them); train the model again"
            )

    @property
    def settings(self) -> dict[str, Any]:
        return self.meta.get("params", {})

    def gensim_model(self) -> Any:
        """A gensim ``Doc2Vec`` rebuilt from the saved arrays (for inference only)."""
        if self._gensim_model is None:
            self._gensim_model = _rebuild(self, self._word_vectors)
        return self._gensim_model

    def _embed_tokens(self, documents: Sequence[Sequence[str]]) -> np.ndarray:
        model = self.gensim_model()
        settings = self.settings
        epochs = settings.get("infer_epochs") or settings.get("epochs", 10)
        alpha = settings.get("alpha", 0.025)
        min_alpha = settings.get("min_alpha", 1e-4)
        seed = settings.get("seed", 1)
        out = np.zeros((len(documents), self.doc_dim), dtype=np.float32)
        vocabulary = model.wv.key_to_index
        for row, words in enumerate(documents):
            words = [w for w in words if w in vocabulary]
            if words:
                out[row] = infer(model, words, epochs, alpha, min_alpha, seed)
        return out


def infer(
    model: Any, words: list[str], epochs: int, alpha: float, min_alpha: float, seed: int
) -> np.ndarray:
    """gensim's ``Doc2Vec.infer_vector`` with a random state that depends on ``words`` only."""
    from gensim.models.doc2vec_inner import train_document_dbow, train_document_dm

    size = model.dv.vector_size
    key = (zlib.crc32(" ".join(words).encode("utf-8")) ^ seed) & 0xFFFFFFFF
    model.random = np.random.RandomState(key)  # the negative samples and downsampling
    start = np.random.Generator(np.random.SFC64(key)).random(size).astype(np.float32)
    vector = ((start - 0.5) / size).reshape(1, size)
    lockf = np.ones(1, dtype=np.float32)
    work = np.zeros(model.layer1_size, dtype=np.float32)
    neu1 = np.zeros(model.layer1_size, dtype=np.float32)
    step = (alpha - min_alpha) / max(epochs - 1, 1)
    for _ in range(epochs):
        if model.sg:
            train_document_dbow(
                model,
                words,
                [0],
                alpha,
                work,
                learn_words=False,
                learn_hidden=False,
                doctag_vectors=vector,
                doctags_lockf=lockf,
            )
        else:
            train_document_dm(
                model,
                words,
                [0],
                alpha,
                work,
                neu1,
                learn_words=False,
                learn_hidden=False,
                doctag_vectors=vector,
                doctags_lockf=lockf,
            )
        alpha -= step
    return vector[0]


def _rebuild(saved: Doc2VecModel, words: Embeddings) -> Any:
    """A gensim ``Doc2Vec`` holding ``saved``'s weights; ``words`` are its (maybe random)
    word vectors."""
    from gensim.models.doc2vec import Doc2Vec

    settings = saved.settings
    model = Doc2Vec(
        vector_size=words.dim,
        dm=int(settings.get("dm", True)),
        dbow_words=int(settings.get("dbow_words", False)),
        dm_mean=int(settings.get("dm_mean", True)),
        window=settings.get("window", 5),
        negative=settings.get("negative", 5),
        hs=0,
        sample=settings.get("sample", 1e-3),
        min_count=1,
        workers=1,
        seed=settings.get("seed", 1),
    )
    # Vocabulary, downsampling thresholds and the negative-sampling table come
    # from the counts, as in training; the weights are then put back in place.
    model.build_vocab_from_freq(dict(zip(words.words, words.counts.tolist())))
    if len(model.wv) != len(words):
        raise BadInputError(
            f"rebuilding the doc2vec model gave {len(model.wv)} words for {len(words)} "
            f"saved; vocab.txt is damaged, train the model again"
        )
    order = np.fromiter(
        (model.wv.key_to_index[w] for w in words.words), dtype=np.int64, count=len(words)
    )
    model.wv.vectors[order] = np.asarray(words.vectors, dtype=np.float32)
    model.syn1neg[order] = np.asarray(saved.arrays[SYN1NEG], dtype=np.float32)
    return model


class Doc2VecTrainer(DocumentTrainer):
    """gensim Doc2Vec with negative sampling; documents are lines or tags."""

    method = "doc2vec"
    summary = "doc2vec (gensim): a vector per line, or per tag, that new text is inferred against."
    example = (
        "Examples: koembed train doc2vec work/nsmc.mecab -o models/d2v-dm --dm --epochs 10; "
        "koembed train doc2vec work/nsmc.mecab -o models/d2v-movies --dbow --tag-column 2 "
        "(one vector per movie id, column 2 of the raw corpus)"
    )
    model_class = Doc2VecModel
    params = {
        "dm": Param(True, bool, help="PV-DM or PV-DBOW.", flags=("--dm/--dbow",)),
        "dbow_words": Param(False, bool, help="PV-DBOW also trains skip-gram word vectors."),
        "dm_mean": Param(
            True,
            bool,
            help="PV-DM averages or sums the context vectors.",
            flags=("--dm-mean/--dm-sum",),
        ),
        "dim": DIM_PARAM,
        "window": Param(5, int, 1, 1_000, help="Context words on each side."),
        "min_count": MIN_COUNT_PARAM,
        "epochs": Param(10, int, 1, 10_000, help="Passes over the corpus."),
        "negative": Param(5, int, 1, 100, help="Negative samples."),
        "sample": Param(1e-3, float, 0.0, 1.0, help="Down-sampling of frequent words."),
        "alpha": Param(0.025, float, 1e-6, 1.0, help="Initial learning rate."),
        "min_alpha": Param(1e-4, float, 0.0, 1.0, help="Final learning rate."),
        "infer_epochs": Param(
            None,
            int,
            1,
            10_000,
            allow_none=True,
            help="Epochs when embedding new text (default: --epochs).",
        ),
        "tags": Param(
            None,
            str,
            allow_none=True,
            path=True,
            help="File with one tag per corpus line (with --tag-column: its column).",
        ),
        "tag_column": Param(
            None,
            int,
            1,
            allow_none=True,
            help="Documents are tags from this 1-based column (of --tags, else of the raw corpus).",
        ),
        "show": SHOW_PARAM,
        "workers": WORKERS_PARAM,
        "seed": replace(SEED_PARAM, help="Random seed (training and inference)."),
    }

    def _check_together(self, params: dict[str, Any]) -> None:
        if params["dbow_words"] and params["dm"]:
            raise BadInputError(
                "dbow_words applies to PV-DBOW; add dm=False or leave it out",
                parameters=("dbow_words", "dm"),
            )
        if params["min_alpha"] > params["alpha"]:
            raise BadInputError(
                f"min_alpha({params['min_alpha']}) must be <= alpha({params['alpha']})",
                parameters=("min_alpha", "alpha"),
            )
        if params["tags"] is not None and not Path(params["tags"]).exists():
            raise BadInputError(f"tags file {params['tags']} does not exist", parameters=("tags",))

    def _fit(
        self, corpus: TokenizedCorpus, params: dict[str, Any], progress: ProgressCallback | None
    ) -> DocumentModel:
        from gensim.models.doc2vec import Doc2Vec

        tagged = params["tags"] is not None or params["tag_column"] is not None
        if tagged:
            tags = read_tags(corpus, params["tags"], params["tag_column"])
            ids: dict[str, int] = {}
            line_rows = np.fromiter(
                (ids.setdefault(tag, len(ids)) for tag in tags), dtype=np.int64, count=len(tags)
            )
            del tags
            labels: Any = list(ids)
            show = "tags"
        else:
            line_rows = None
            show = resolve_show(corpus, params["show"])
        documents = _TaggedLines(corpus.path, line_rows)
        model = Doc2Vec(**model_settings(params, "dm", "dbow_words", "dm_mean"), hs=0)
        train_model(model, "train doc2vec", corpus.path, {"corpus_iterable": documents}, progress)
        doc_vectors = np.array(model.dv.vectors, dtype=np.float32)
        # A document without a vocabulary word was never trained: its vector is
        # the random start. Zero, as new text with no known word is embedded.
        trained = np.zeros(len(doc_vectors), dtype=bool)
        vocabulary = model.wv.key_to_index
        for row, document in zip(
            line_rows if line_rows is not None else range(len(doc_vectors)), documents.lines()
        ):
            if not trained[row] and any(w in vocabulary for w in document):
                trained[row] = True
        doc_vectors[~trained] = 0
        rows = "tags" if tagged else "lines"
        texts = pack_texts(labels if tagged else line_texts(corpus, show))
        meta = documents_meta(
            rows,
            len(doc_vectors),
            show,
            word_vectors_trained=bool(params["dm"] or params["dbow_words"]),
            empty=int((~trained).sum()),
        )
        log.info(
            "doc2vec %s: %d %s, %d words",
            "PV-DM" if params["dm"] else "PV-DBOW",
            len(doc_vectors),
            rows,
            len(model.wv),
        )
        word_vectors = Embeddings(
            list(model.wv.index_to_key),
            np.array(model.wv.vectors, dtype=np.float32),
            np.asarray(model.wv.expandos["count"], dtype=np.int64),
            {**meta, "corpus_words": int(model.corpus_total_words)},
        )
        return Doc2VecModel(
            word_vectors, {DOC_VECTORS: doc_vectors, SYN1NEG: np.array(model.syn1neg), **texts}
        )


class _TaggedLines:
    """The tokenized file as gensim ``TaggedDocument``s, re-iterable, streamed.

    Tags are row numbers of the document vectors: the line number, or the
    index of the line's tag in first-seen order.
    """

    def __init__(self, path: Path, rows: np.ndarray | None):
        self.path = path
        self.rows = rows

    def lines(self) -> Iterator[list[str]]:
        with open(self.path, encoding="utf-8") as handle:
            for line in handle:
                yield line.split()

    def __iter__(self) -> Iterator[Any]:
        from gensim.models.doc2vec import TaggedDocument

        if self.rows is None:
            for number, words in enumerate(self.lines()):
                yield TaggedDocument(words, [number])
        else:
            for row, words in zip(self.rows.tolist(), self.lines()):
                yield TaggedDocument(words, [row])
