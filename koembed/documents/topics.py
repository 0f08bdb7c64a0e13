"""The arithmetic of topic models, apart from any library: folding a new
document into fixed topics, Hellinger similarity, topic coherence.

A topic model is K topics, each a distribution over the vocabulary
(``topic_words``, K x V, rows summing to 1), and a Dirichlet prior ``alpha``
over topics. A document's topics ``theta`` (K values summing to 1) are
inferred with the topics held fixed, by the EM fixed point of the folding-in
step (Hofmann 1999; the M step of LDA's variational inference with the topics
frozen): ``theta_k <- alpha_k + theta_k * sum_w n_w phi_kw / sum_j theta_j phi_jw``,
normalised. It is deterministic: the same text gets the same topics in every
call and process, and after a model is saved and loaded.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

FOLD_IN_ITERATIONS = 50


def fold_in(
    rows: np.ndarray,
    ids: np.ndarray,
    n_documents: int,
    topic_words: np.ndarray,
    alpha: np.ndarray,
    iterations: int = FOLD_IN_ITERATIONS,
) -> np.ndarray:
    """Topic distributions of documents given as (document row, word id) pairs
    (one pair per token). A document without a known word gets the prior
    ``alpha`` normalised. Returns an ``(n_documents, K)`` float32 matrix."""
    from scipy.sparse import csr_matrix

    topics = topic_words.shape[0]
    alpha = np.asarray(alpha, dtype=np.float64)
    counts = csr_matrix(
        (np.ones(len(ids), dtype=np.float64), (rows, ids)),
        shape=(n_documents, topic_words.shape[1]),
    )
    counts.sum_duplicates()
    doc_rows = np.repeat(np.arange(n_documents), np.diff(counts.indptr))
    word_ids = counts.indices
    phi = np.asarray(topic_words, dtype=np.float64)
    phi_t = phi[:, word_ids].T  # one row of topic probabilities per (document, word) entry
    theta = np.full((n_documents, topics), 1.0 / topics)
    for _ in range(iterations):
        denominator = np.einsum("ek,ek->e", theta[doc_rows], phi_t)
        denominator[denominator == 0] = 1.0
        weights = csr_matrix((counts.data / denominator, word_ids, counts.indptr),
                             shape=counts.shape)  # fmt: skip
        theta = alpha + theta * (weights @ phi.T)
        theta /= theta.sum(axis=1, keepdims=True)
    return theta.astype(np.float32)


def hellinger_similarity(query: np.ndarray, documents_sqrt: np.ndarray) -> np.ndarray:
    """``1 - H(query, d)`` for every document, H the Hellinger distance
    ``sqrt(1 - sum_k sqrt(p_k q_k))`` (0 for the same distribution, 1 for
    disjoint ones). ``documents_sqrt`` holds the documents' square roots."""
    coefficient = documents_sqrt @ np.sqrt(np.clip(query, 0.0, None)).astype(np.float32)
    return 1.0 - np.sqrt(np.clip(1.0 - coefficient, 0.0, 1.0))


def top_words(
    topic_words: np.ndarray, words: Sequence[str], topn: int
) -> list[list[tuple[str, float]]]:
    """Each topic's ``topn`` most probable words with their probabilities."""
    out = []
    for row in topic_words:
        best = np.argsort(-row, kind="stable")[:topn]
        out.append([(words[i], float(row[i])) for i in best])
    return out


def coherence(
    topics: list[list[str]], documents: list[list[str]], measures: Sequence[str] = ("c_v", "u_mass")
) -> dict[str, float]:
    """Topic coherence (gensim's CoherenceModel) of ``topics`` (each its top
    words) over ``documents``: the mean over topics of each measure."""
    from gensim.corpora import Dictionary
    from gensim.models import CoherenceModel

    dictionary = Dictionary(documents)
    corpus = [dictionary.doc2bow(document) for document in documents]
    scores = {}
    for measure in measures:
        model = CoherenceModel(
            topics=topics,
            texts=documents,
            corpus=corpus,
            dictionary=dictionary,
            coherence=measure,
            processes=1,
        )
        scores[measure] = round(float(model.get_coherence()), 6)
    return scores
