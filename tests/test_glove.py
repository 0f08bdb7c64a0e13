"""GloVe: the objective it minimises, training on real Korean text, parameters."""

from __future__ import annotations

import numpy as np
import pytest

import koembed
from koembed.counts import Cooccurrences, Vocabulary
from koembed.errors import BadInputError
from koembed.trainers.glove import fit_glove


def _counts(matrix: np.ndarray) -> Cooccurrences:
    rows, cols = np.nonzero(matrix)
    words = [f"w{i}" for i in range(matrix.shape[0])]
    return Cooccurrences(
        Vocabulary(words, np.ones(len(words), dtype=np.int64)),
        rows.astype(np.int32),
        cols.astype(np.int32),
        matrix[rows, cols].astype(np.float64),
        window=1,
        distance_weighting=True,
        symmetric=True,
    )


def test_fits_log_counts_with_vectors_and_biases():
    # log X = w.c + b_w + b_c must be learnable exactly: build X from a
    # rank-2 model. Every count is above x_max, so f(x) = 1 everywhere.
    rng = np.random.default_rng(3)
    words, contexts = rng.normal(size=(6, 2)), rng.normal(size=(6, 2))
    bias_w, bias_c = rng.normal(size=6), rng.normal(size=6)
    matrix = np.exp(words @ contexts.T + bias_w[:, None] + bias_c[None, :] + 5.0)
    fit = fit_glove(_counts(matrix), dim=4, x_max=1.0, epochs=1500, learning_rate=0.1, seed=1)
    predicted = fit.words @ fit.contexts.T + fit.word_bias[:, None] + fit.context_bias[None, :]
    assert predicted == pytest.approx(np.log(matrix), abs=0.05)
    assert fit.costs[-1] < 1e-3 < fit.costs[0]


def test_weighting_function_discounts_rare_pairs():
    # Two entries: one at x_max (weight 1), one at x_max/8 (weight 8^-0.75).
    # Vectors and biases start within 0.5/dim of 0 and barely move at this
    # learning rate, so the first epoch's mean cost is 0.5 * f(x) (log x)^2
    # averaged over the two entries.
    matrix = np.array([[0.0, 80.0], [10.0, 0.0]])
    fit = fit_glove(_counts(matrix), dim=100, x_max=80.0, alpha=0.75, epochs=1, learning_rate=1e-6)
    expected = 0.5 * (np.log(80.0) ** 2 + (10 / 80) ** 0.75 * np.log(10.0) ** 2) / 2
    assert fit.costs[0] == pytest.approx(expected, rel=0.02)


@pytest.fixture(scope="module")
def law_glove(law_tokens):
    return koembed.train(
        "glove", law_tokens, dim=24, window=5, min_count=2, epochs=8, x_max=10.0, workers=2
    )


def test_trains_saves_loads_and_answers(law_glove, tmp_path):
    assert law_glove.dim == 24 and len(law_glove) > 500
    costs = law_glove.meta["epoch_costs"]
    assert len(costs) == 8 and costs[-1] < costs[0]
    law_glove.save(tmp_path / "glove")
    loaded = koembed.load(tmp_path / "glove")
    assert loaded.meta["method"] == "glove"
    assert loaded.meta["params"]["x_max"] == 10.0
    assert loaded.words == law_glove.words
    assert np.array_equal(np.asarray(loaded.vectors), law_glove.vectors)
    neighbours = loaded.most_similar("국민", topn=5)
    assert len(neighbours) == 5 and "국민" not in [w for w, _ in neighbours]


def test_one_thread_with_a_seed_is_reproducible(law_tokens):
    options = dict(dim=8, window=3, min_count=3, epochs=2, workers=1, seed=7)
    first = koembed.train("glove", law_tokens, **options)
    second = koembed.train("glove", law_tokens, **options)
    assert np.array_equal(first.vectors, second.vectors)
    other = koembed.train("glove", law_tokens, **{**options, "seed": 8})
    assert not np.array_equal(first.vectors, other.vectors)


def test_reports_progress_per_epoch_with_the_cost(law_tokens):
    events = []
    koembed.train(
        "glove", law_tokens, dim=8, min_count=3, epochs=3, workers=1, progress=events.append
    )
    tasks = {event.task for event in events}
    assert {"count words", "count co-occurrences", "train glove"} <= tasks
    epochs = [e for e in events if e.task == "train glove" and e.done > 0]
    assert [e.done for e in epochs] == [1, 2, 3]
    assert all(e.info["cost"] > 0 for e in epochs)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (dict(dim=0), r"dim\(0\) must be >= 1"),
        (dict(dim=-3), r"dim\(-3\) must be >= 1"),
        (dict(dim=10**9), r"dim\(1000000000\) must be <= 10000"),
        (dict(window=0), r"window\(0\) must be >= 1"),
        (dict(x_max=0), r"x_max\(0.0\) must be >= 0.001"),
        (dict(x_max=-10.0), r"x_max\(-10.0\) must be >= 0.001"),
        (dict(alpha=-0.5), r"alpha\(-0.5\) must be >= 0.0"),
        (dict(alpha=3.0), r"alpha\(3.0\) must be <= 1.0"),
        (dict(epochs=0), r"epochs\(0\) must be >= 1"),
        (dict(learning_rate=0.0), r"learning_rate\(0.0\) must be >= 1e-06"),
        (dict(learning_rate=50.0), r"learning_rate\(50.0\) must be <= 1.0"),
        (dict(workers=0), r"workers\(0\) must be >= 1"),
        (dict(min_count=-1), r"min_count\(-1\) must be >= 1"),
        (dict(memory=0), r"memory\(0.0\) must be >= 0.01"),
        (dict(memory=1000.0), r"memory\(1000.0 GiB\) is more than this machine's"),
        (dict(epochs=2.5), r"epochs=2.5 must be a int"),
        (dict(eta=0.1), r"glove has no parameter 'eta'"),
    ],
)
def test_bad_parameters_are_refused_before_any_work(params, message):
    with pytest.raises(BadInputError, match=message):
        koembed.train("glove", "/nonexistent/corpus.tokens", **params)


def test_no_cooccurrence_is_a_clear_error():
    with pytest.raises(BadInputError, match="no two of the 2 vocabulary words occur within"):
        koembed.train("glove", [["a"], ["b"]], min_count=1, window=2)
