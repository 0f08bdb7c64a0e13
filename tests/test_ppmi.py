"""PPMI values pinned on a hand-computed 3x3 example, and proof that the SVD
factorises the PPMI matrix (not the raw counts, as the book's code did)."""

from __future__ import annotations

from math import log

import numpy as np
import pytest
from scipy.sparse import csr_matrix

import koembed
from koembed.counts import count_cooccurrences
from koembed.errors import BadInputError
from koembed.trainers.ppmi import ppmi_matrix, truncated_svd

# Symmetric counts of three words a, b, c:
#        a  b  c      row (= column) totals: a 3, b 5, c 4; all 12
COUNTS = np.array(
    [
        [0, 2, 1],
        [2, 0, 3],
        [1, 3, 0],
    ],
    dtype=float,
)
# ... which is exactly what window-1 counting of these lines gives.
LINES = [["a", "b"]] * 2 + [["a", "c"]] + [["b", "c"]] * 3

# PMI(w, c) = log(#(w,c) * N / (#w * #c)):
#   a-b: 2 * 12 / (3 * 5) = 1.6      a-c: 1 * 12 / (3 * 4) = 1   -> 0
#   b-c: 3 * 12 / (5 * 4) = 1.8
PLAIN = np.array(
    [
        [0, log(1.6), 0],
        [log(1.6), 0, log(1.8)],
        [0, log(1.8), 0],
    ]
)
# cds 0.75: context totals become 3^.75, 5^.75, 4^.75 (sum T); the word
# totals stay. PMI(w, c) = log(#(w,c) * T / (#w * #c^.75)), no longer symmetric:
#   a-b: 2T/(3*5^.75) = 1.685   a-c: T/(3*4^.75) = 0.996 -> 0
#   b-a: 2T/(5*3^.75) = 1.483   b-c: 3T/(5*4^.75) = 1.793
#   c-a: T/(4*3^.75) = 0.927 -> 0   c-b: 3T/(4*5^.75) = 1.896
T = 3**0.75 + 5**0.75 + 4**0.75
SMOOTHED = np.array(
    [
        [0, log(2 * T / (3 * 5**0.75)), 0],
        [log(2 * T / (5 * 3**0.75)), 0, log(3 * T / (5 * 4**0.75))],
        [0, log(3 * T / (4 * 5**0.75)), 0],
    ]
)
# Shift by log 1.7: only b-c (1.8 > 1.7) stays positive.
SHIFTED = np.array(
    [
        [0, 0, 0],
        [0, 0, log(1.8 / 1.7)],
        [0, log(1.8 / 1.7), 0],
    ]
)


@pytest.mark.parametrize(
    ("cds", "neg", "expected"),
    [(1.0, 1.0, PLAIN), (0.75, 1.0, SMOOTHED), (1.0, 1.7, SHIFTED)],
)
def test_ppmi_values_on_a_hand_computed_3x3_example(cds, neg, expected):
    result = ppmi_matrix(csr_matrix(COUNTS), cds=cds, neg=neg)
    assert result.toarray() == pytest.approx(expected, abs=1e-12)
    assert (result.data > 0).all()  # zeros are not stored


def test_smoothing_values_match_their_rounded_figures():
    # The figures quoted in the comments above, to catch a wrong formula twice.
    assert np.exp(SMOOTHED[0, 1]) == pytest.approx(1.685, abs=1e-3)
    assert np.exp(SMOOTHED[2, 1]) == pytest.approx(1.896, abs=1e-3)


def test_the_corpus_lines_count_to_the_3x3_matrix():
    counts = count_cooccurrences(LINES, window=1, min_count=1, distance_weighting=False)
    order = [counts.vocabulary.index[w] for w in "abc"]
    assert counts.to_csr().toarray()[np.ix_(order, order)].tolist() == COUNTS.tolist()


def _vectors_by_word(model, words="abc") -> np.ndarray:
    return np.stack([model.vector(w) for w in words]).astype(np.float64)


@pytest.mark.parametrize(
    ("cds", "neg", "expected"),
    [(1.0, 1.0, PLAIN), (0.75, 1.0, SMOOTHED)],
)
def test_the_svd_factorises_the_ppmi_matrix_not_the_counts(cds, neg, expected):
    # With full rank and eig=1 the word vectors are U S, so W W^T = U S^2 U^T
    # = M M^T for the matrix M that was factorised. It must be the PPMI matrix;
    # the book's bug (factorising the raw counts) would give COUNTS COUNTS^T.
    model = koembed.train(
        "ppmi", LINES, window=1, min_count=1, dim=3, eig=1.0, cds=cds, neg=neg, add_context=False
    )
    vectors = _vectors_by_word(model)
    gram = vectors @ vectors.T
    assert gram == pytest.approx(expected @ expected.T, abs=1e-5)
    assert not np.allclose(gram, COUNTS @ COUNTS.T, atol=0.1)


def test_eigenvalue_weighting_and_context_vectors():
    plain = koembed.train(
        "ppmi", LINES, window=1, min_count=1, dim=3, eig=0.0, cds=1.0, add_context=False
    )
    vectors = _vectors_by_word(plain)  # eig=0: U alone, here square and orthogonal
    assert vectors @ vectors.T == pytest.approx(np.eye(3), abs=1e-5)
    both = koembed.train(
        "ppmi", LINES, window=1, min_count=1, dim=3, eig=0.5, cds=1.0, add_context=True
    )
    # Each word vector is unit(U S^.5) + unit(V S^.5): length between 0 and 2.
    norms = np.linalg.norm(_vectors_by_word(both), axis=1)
    assert ((norms > 0) & (norms <= 2 + 1e-6)).all()


def test_truncated_svd_matches_a_dense_svd():
    rng = np.random.default_rng(0)
    dense = rng.random((300, 250)) * (rng.random((300, 250)) < 0.05)
    u, s, vt = truncated_svd(csr_matrix(dense), 10)
    assert s == pytest.approx(np.linalg.svd(dense, compute_uv=False)[:10], rel=1e-6)
    assert (np.diff(s) <= 0).all()
    assert np.abs(u.T @ dense @ vt.T - np.diag(s)).max() < 1e-6


def test_a_shift_that_leaves_nothing_is_an_error():
    with pytest.raises(BadInputError, match="no PPMI entry is positive"):
        koembed.train("ppmi", LINES, window=1, min_count=1, dim=2, cds=1.0, neg=2.0)


def test_trains_saves_loads_and_answers(law_tokens, tmp_path):
    model = koembed.train("ppmi", law_tokens, dim=32, min_count=2, window=3)
    assert model.dim == 32 and len(model) > 500
    model.save(tmp_path / "ppmi")
    loaded = koembed.load(tmp_path / "ppmi")
    assert loaded.meta["method"] == "ppmi"
    assert loaded.meta["params"]["cds"] == 0.75
    assert loaded.words == model.words
    neighbours = loaded.most_similar("국민", topn=5)
    assert len(neighbours) == 5 and "국민" not in [w for w, _ in neighbours]
    assert np.isfinite(np.asarray(loaded.vectors)).all()


def test_dim_beyond_the_vocabulary_is_an_error():
    with pytest.raises(BadInputError, match=r"dim\(10\) must be <= the vocabulary size \(3"):
        koembed.train("ppmi", LINES, window=1, min_count=1, dim=10)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (dict(dim=0), r"dim\(0\) must be >= 1"),
        (dict(dim=-5), r"dim\(-5\) must be >= 1"),
        (dict(window=0), r"window\(0\) must be >= 1"),
        (dict(cds=0.0 - 0.5), r"cds\(-0.5\) must be >= 0.0"),
        (dict(cds=2.0), r"cds\(2.0\) must be <= 1.0"),
        (dict(neg=0.5), r"neg\(0.5\) must be >= 1.0"),
        (dict(eig=-1.0), r"eig\(-1.0\) must be >= 0.0"),
        (dict(min_count=0), r"min_count\(0\) must be >= 1"),
        (dict(memory=0.0), r"memory\(0.0\) must be >= 0.01"),
        (dict(memory=1e6), r"memory\(1000000.0\) must be <= 1024.0"),
        (dict(add_context="yes"), r"add_context='yes' must be a bool"),
        (dict(shift=5), r"ppmi has no parameter 'shift'"),
    ],
)
def test_bad_parameters_are_refused_before_any_work(params, message):
    # The corpus does not exist: the parameter error must come first.
    with pytest.raises(BadInputError, match=message):
        koembed.train("ppmi", "/nonexistent/corpus.tokens", **params)
