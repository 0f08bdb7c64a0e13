"""LDA topics (Blei, Ng & Jordan 2003), the book's topic model.

Trained by Gibbs sampling with tomotopy (C++; the default) or by online
variational Bayes with gensim's LdaMulticore (what ratsgo/embedding runs),
on a tokenized corpus whose lines are the documents; ``bench/lda.py``
compares the two. The vocabulary is chosen first: words seen ``min_count``
times, in at most ``max_doc_freq`` of the documents, not in ``stopwords``,
and with ``keep_pos`` (on a corpus tokenized with ``--pos``) only those tags.

The model directory holds plain arrays, no pickle: ``topic_words.npy`` (K x V,
each topic a distribution over the vocabulary), ``alpha.npy`` (the prior over
topics) and ``doc_vectors.npy`` (each document's topic distribution, as the
trainer inferred it). A new text's topics are folded in with the topics fixed
(:mod:`koembed.documents.topics`); nearest documents are by Hellinger
similarity of topic distributions. A word's vector is its distribution over
topics, ``p(topic | word)`` with equally likely topics, so ``koembed similar``
finds words of the same topics.
"""

from __future__ import annotations

import logging
import os
import time
import warnings
from collections import Counter
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

from koembed.documents import topics as topic_math
from koembed.documents.base import SHOW_PARAM, DocumentTrainer
from koembed.documents.rows import documents_meta, line_texts, pack_texts, resolve_show
from koembed.errors import BadInputError, MissingDependencyError
from koembed.models import Embeddings, load
from koembed.models.documents import DocumentModel
from koembed.progress import ProgressCallback, report
from koembed.tokenize import TokenizedCorpus, open_tokenized
from koembed.trainers.base import MIN_COUNT_PARAM, SEED_PARAM, WORKERS_PARAM, Param

log = logging.getLogger(__name__)

TOPIC_WORDS = "topic_words"
ALPHA = "alpha"
#: Coherence after training is computed on at most this many documents.
COHERENCE_DOCUMENTS = 20_000
COHERENCE_TOP_WORDS = 10
BACKENDS = ("tomotopy", "gensim")


class LdaModel(DocumentModel):
    """Topics, each document's topic distribution, and new text folded in."""

    kind = "lda"
    score_name = "1 - Hellinger"
    empty_vector = "the prior's topic distribution"

    _documents_sqrt: np.ndarray | None = None

    def _check_arrays(self) -> None:
        super()._check_arrays()
        topic_words = self.arrays.get(TOPIC_WORDS)
        alpha = self.arrays.get(ALPHA)
        size = len(self._word_vectors)
        if topic_words is None or topic_words.ndim != 2 or topic_words.shape[1] != size:
            raise BadInputError(
                f"an lda model needs topic_words.npy with one column per word ({size}); "
                f"train the model again"
            )
        if alpha is None or alpha.shape != (topic_words.shape[0],):
            raise BadInputError(
                f"an lda model needs alpha.npy with one value per topic "
                f"({topic_words.shape[0]}); train the model again"
            )

    @property
    def n_topics(self) -> int:
        return int(self.arrays[TOPIC_WORDS].shape[0])

    def topics(self, topn: int = 10) -> list[dict]:
        """Each topic: its number, its share of the corpus (mean document weight)
        and its ``topn`` most probable words with their probabilities."""
        if topn < 1:
            raise BadInputError(f"topn must be 1 or more, got {topn}", parameters=("topn",))
        shares = np.asarray(self.doc_vectors, dtype=np.float64).mean(axis=0)
        words = self._word_vectors.words
        tops = topic_math.top_words(np.asarray(self.arrays[TOPIC_WORDS]), words, topn)
        return [
            {"topic": k, "share": round(float(shares[k]), 6),
             "words": [(word, round(p, 6)) for word, p in tops[k]]}
            for k in range(self.n_topics)
        ]  # fmt: skip

    def coherence(
        self, corpus: str | os.PathLike | None = None, limit: int = COHERENCE_DOCUMENTS
    ) -> dict:
        """c_v and u_mass coherence of the topics' top words over the first
        ``limit`` documents of a tokenized corpus (default: the one trained on)
        that hold a vocabulary word.

        Raises:
            BadInputError: no corpus given and the training corpus is gone.
        """
        corpus = corpus or self.meta.get("topics", {}).get("corpus")
        if corpus is None or not os.path.exists(corpus):
            raise BadInputError(
                f"the corpus to compute coherence over ({corpus or 'not recorded'}) is not "
                f"there; give the tokenized corpus the model was trained on",
                parameters=("corpus",),
            )
        index = self._word_vectors.index
        documents = []
        for tokens in open_tokenized(corpus):
            kept = [t for t in tokens if t in index]
            if kept:
                documents.append(kept)
                if len(documents) == limit:
                    break
        top = [[w for w, _ in topic["words"]] for topic in self.topics(COHERENCE_TOP_WORDS)]
        scores = topic_math.coherence(top, documents)
        return {**scores, "documents": len(documents), "top_words": COHERENCE_TOP_WORDS}

    def _embed_tokens(self, documents: Sequence[Sequence[str]]) -> np.ndarray:
        rows, ids = self.known_tokens(documents)
        return topic_math.fold_in(
            rows, ids, len(documents), self.arrays[TOPIC_WORDS], self.arrays[ALPHA]
        )

    def document_scores(self, vector: np.ndarray) -> np.ndarray:
        """Every corpus document's Hellinger similarity (1 - the Hellinger
        distance) to the topic distribution ``vector``."""
        if self._documents_sqrt is None:
            self._documents_sqrt = np.sqrt(np.clip(self.doc_vectors, 0.0, None)).astype(np.float32)
        return topic_math.hellinger_similarity(vector, self._documents_sqrt)


class LdaTrainer(DocumentTrainer):
    """LDA topics over the corpus lines; a document's vector is its topic distribution."""

    method = "lda"
    summary = "LDA topic model (Gibbs sampling with tomotopy, or gensim's LdaMulticore)."
    example = (
        "Example: koembed train lda work/nsmc.mecab -o models/lda --topics 30 "
        "--stopwords stop.txt --max-doc-freq 0.2 --workers 2; then koembed topics --model "
        "models/lda"
    )
    model_class = LdaModel
    params = {
        "topics": Param(20, int, 2, 10_000, help="Number of topics K."),
        "backend": Param("tomotopy", str, choices=BACKENDS,
                         help="tomotopy (Gibbs sampling, C++) or gensim (LdaMulticore)."),
        "iterations": Param(200, int, 1, 100_000,
                            help="tomotopy: Gibbs sweeps over the corpus."),
        "passes": Param(5, int, 1, 1_000, help="gensim: passes over the corpus."),
        "alpha": Param(0.1, float, 1e-6, 100.0, help="Prior weight of each topic in a document."),
        "eta": Param(0.01, float, 1e-6, 100.0, help="Prior weight of each word in a topic."),
        "min_count": MIN_COUNT_PARAM,
        "max_doc_freq": Param(0.5, float, 1e-6, 1.0,
                              help="Leave out words in more than this share of the documents."),
        "stopwords": Param(None, str, path=True, help="File of words to leave out, one a line."),
        "keep_pos": Param(None, str, help="On a corpus tokenized with --pos: keep only these "
                          "tags, e.g. NNG,NNP (tokens keep their /TAG)."),
        "show": SHOW_PARAM,
        # With several workers tomotopy's sampling is not reproducible, even seeded.
        "workers": WORKERS_PARAM,
        "seed": SEED_PARAM,
    }  # fmt: skip

    def _fit(
        self, corpus: TokenizedCorpus, params: dict[str, Any], progress: ProgressCallback | None
    ) -> DocumentModel:
        if params["backend"] == "tomotopy":
            _tomotopy()  # a missing library is reported before reading the corpus
        show = resolve_show(corpus, params["show"])
        keep = _keep(params)
        words, counts, lines = _vocabulary(corpus, params, keep)
        index = {word: i for i, word in enumerate(words)}
        documents = [
            np.fromiter((index[t] for t in tokens if t in index), dtype=np.int32)
            for tokens in corpus
        ]
        started = time.perf_counter()
        fit = _BACKEND_FITS[params["backend"]]
        topic_words, theta, alpha, extra = fit(documents, words, params, progress)
        seconds = time.perf_counter() - started
        empty = np.array([len(d) == 0 for d in documents])
        theta[empty] = alpha / alpha.sum()
        sample = [[words[i] for i in d] for d in documents if len(d)][:COHERENCE_DOCUMENTS]
        # One report per corpus token would be slow: the first documents stand for the corpus.
        top = [[w for w, _ in t] for t in topic_math.top_words(topic_words, words, 10)]
        report(progress, "topic coherence", 0, 1, "steps")
        scores = topic_math.coherence(top, sample)
        report(progress, "topic coherence", 1, 1, "steps", finished=True)
        log.info("lda: %d topics in %.1f s; coherence %s", len(topic_words), seconds, scores)
        profile = topic_words / np.maximum(topic_words.sum(axis=0, keepdims=True), 1e-30)
        meta = {
            **documents_meta("lines", lines, show, empty=int(empty.sum())),
            "topics": {
                "corpus": str(corpus.path.resolve()),
                "coherence": {**scores, "documents": len(sample), "top_words": 10},
                "fit_seconds": round(seconds, 3),
                **extra,
            },
        }
        word_vectors = Embeddings(words, profile.T.astype(np.float32), counts, meta)
        arrays = {
            "doc_vectors": theta.astype(np.float32),
            TOPIC_WORDS: topic_words.astype(np.float32),
            ALPHA: alpha.astype(np.float32),
            **pack_texts(line_texts(corpus, show)),
        }
        return LdaModel(word_vectors, arrays)


def load_topic_model(path: str | os.PathLike) -> LdaModel:
    """Load a topic model directory.

    Raises:
        BadInputError: nothing loadable at ``path``, or a model without topics.
    """
    model = load(path)
    if not isinstance(model, LdaModel):
        method = model.meta.get("method", "imported")
        raise BadInputError(
            f"{path} is a {method} model, which has no topics; train one with 'koembed train lda'"
        )
    return model


def _keep(params: dict[str, Any]):
    """A test of a token: kept by ``keep_pos`` and not a stop word."""
    stop: set[str] = set()
    if params["stopwords"] is not None:
        try:
            with open(params["stopwords"], encoding="utf-8") as handle:
                stop = {line.strip() for line in handle if line.strip()}
        except OSError as error:
            raise BadInputError(
                f"cannot read stopwords {params['stopwords']}: {error.strerror}",
                parameters=("stopwords",),
            ) from None
    tags = None
    if params["keep_pos"]:
        tags = {tag.strip() for tag in params["keep_pos"].split(",") if tag.strip()}

    def kept(token: str) -> bool:
        if token in stop:
            return False
        if tags is None:
            return True
        word, slash, tag = token.rpartition("/")
        return bool(slash) and tag in tags and word not in stop

    return kept


def _vocabulary(corpus: TokenizedCorpus, params: dict[str, Any], keep) -> tuple[list, Any, int]:
    """The words kept (most frequent first), their counts, and the number of documents."""
    frequency: Counter[str] = Counter()
    documents_with: Counter[str] = Counter()
    lines = 0
    tagged = False
    for tokens in corpus:
        lines += 1
        tagged = tagged or any("/" in t for t in tokens[:3])
        kept = [t for t in tokens if keep(t)]
        frequency.update(kept)
        documents_with.update(set(kept))
    if params["keep_pos"] and not tagged:
        raise BadInputError(
            f"keep_pos needs a corpus tokenized with POS tags (token/TAG), and {corpus.path} "
            f"has none; tokenize with --pos, or leave keep_pos out",
            parameters=("keep_pos",),
        )
    limit = params["max_doc_freq"] * lines
    words = sorted(
        (
            w
            for w, c in frequency.items()
            if c >= params["min_count"] and documents_with[w] <= limit
        ),
        key=lambda w: (-frequency[w], w),
    )
    if not words and not any(c >= params["min_count"] for c in frequency.values()):
        raise BadInputError(
            f"no word occurs {params['min_count']} times or more in {corpus.path}; "
            f"lower min_count or use a larger corpus",
            parameters=("min_count",),
        )
    if not words:
        raise BadInputError(
            f"no word of {corpus.path} is kept (min_count {params['min_count']}, max_doc_freq "
            f"{params['max_doc_freq']}, stop words, keep_pos); loosen them",
            parameters=("min_count", "max_doc_freq"),
        )
    return words, np.array([frequency[w] for w in words], dtype=np.int64), lines


def _tomotopy():
    try:
        import tomotopy
    except ImportError:
        raise MissingDependencyError("tomotopy", "lda", "the lda trainer") from None
    return tomotopy


def _fit_tomotopy(documents, words, params, progress):
    tp = _tomotopy()
    model = tp.LDAModel(k=params["topics"], alpha=params["alpha"], eta=params["eta"],
                        seed=params["seed"])  # fmt: skip
    used = []
    for row, document in enumerate(documents):
        if len(document):
            model.add_doc([words[i] for i in document])
            used.append(row)
    iterations, step = params["iterations"], 10
    done = 0
    report(progress, "train lda", 0, iterations, "iterations")
    while done < iterations:
        chunk = min(step, iterations - done)
        with warnings.catch_warnings():
            # Said once in the documentation: several workers give up reproducibility.
            warnings.filterwarnings("ignore", message="The training result may differ")
            model.train(chunk, workers=params["workers"])
        done += chunk
        report(progress, "train lda", done, iterations, "iterations",
               {"log-likelihood per word": model.ll_per_word})  # fmt: skip
    position = {w: i for i, w in enumerate(model.used_vocabs)}
    columns = np.array([position.get(w, -1) for w in words])
    topic_words = np.zeros((params["topics"], len(words)))
    for k in range(params["topics"]):
        distribution = np.asarray(model.get_topic_word_dist(k), dtype=np.float64)
        topic_words[k] = np.where(columns >= 0, distribution[np.maximum(columns, 0)], 0.0)
    topic_words /= topic_words.sum(axis=1, keepdims=True)
    theta = np.zeros((len(documents), params["topics"]))
    for row, document in zip(used, model.docs):
        theta[row] = document.get_topic_dist()
    alpha = np.asarray(model.alpha, dtype=np.float64).reshape(-1)
    if alpha.size == 1:
        alpha = np.full(params["topics"], float(alpha[0]))
    return (
        topic_words,
        theta,
        alpha,
        {"backend": "tomotopy", "log_likelihood_per_word": round(model.ll_per_word, 6)},
    )


def _fit_gensim(documents, words, params, progress):
    from gensim.corpora import Dictionary
    from gensim.models import LdaModel as GensimLda
    from gensim.models import LdaMulticore

    dictionary = Dictionary([[w] for w in words])  # ids in our order: one word a document
    assert [dictionary[i] for i in range(len(words))] == list(words)
    bags = _Bags(documents)
    report(progress, "train lda", 0, params["passes"], "passes")
    options = dict(
        corpus=bags,
        id2word=dictionary,
        num_topics=params["topics"],
        alpha=params["alpha"],
        eta=params["eta"],
        passes=params["passes"],
        random_state=params["seed"],
    )
    if params["workers"] > 1:
        # gensim's workers are extra processes, forked: one of them per worker beyond this one.
        model = LdaMulticore(**options, workers=params["workers"] - 1)
    else:
        # No fork with one worker: a forked copy of a process running a JVM
        # (Okt, Komoran...) can hang, and this is the same algorithm in-process.
        model = GensimLda(**options)
    report(progress, "train lda", params["passes"], params["passes"], "passes", finished=True)
    topic_words = model.get_topics().astype(np.float64)
    theta = np.zeros((len(documents), params["topics"]))
    chunk: list = []
    rows: list[int] = []
    for row, bag in enumerate(bags):
        if bag:
            chunk.append(bag)
            rows.append(row)
        if len(chunk) == 2000 or (row == len(documents) - 1 and chunk):
            gamma = model.inference(chunk)[0]
            theta[rows] = gamma / gamma.sum(axis=1, keepdims=True)
            chunk, rows = [], []
    alpha = np.asarray(model.alpha, dtype=np.float64)
    return topic_words, theta, alpha, {"backend": "gensim"}


class _Bags:
    """The documents as gensim bags of words, re-iterable."""

    def __init__(self, documents: list[np.ndarray]):
        self.documents = documents

    def __iter__(self) -> Iterator[list[tuple[int, int]]]:
        for document in self.documents:
            ids, counts = np.unique(document, return_counts=True)
            yield list(zip(ids.tolist(), counts.tolist()))

    def __len__(self) -> int:
        return len(self.documents)


_BACKEND_FITS: dict[str, Any] = {"tomotopy": _fit_tomotopy, "gensim": _fit_gensim}
