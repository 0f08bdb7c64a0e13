"""Swivel: its loss and gradients on a hand-computed matrix, training on real
Korean text, the command line, parameters."""

from __future__ import annotations

import math

import numpy as np
import pytest
from typer.testing import CliRunner

import koembed
from koembed.cli import app
from koembed.counts import Cooccurrences, Vocabulary
from koembed.errors import BadInputError
from koembed.trainers import _swivel_kernels
from koembed.trainers.swivel import fit_swivel, make_shards

runner = CliRunner()


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


# Counts of three words: (0, 2) and (2, 0) never seen. Marginals 6, 4, 3; N = 13.
MATRIX = np.array([[4.0, 2.0, 0.0], [2.0, 0.0, 2.0], [0.0, 2.0, 1.0]], dtype=np.float32)
PREDICTIONS = np.array([[0.5, -0.2, 1.0], [0.1, 0.3, -0.4], [-1.5, 0.0, 0.2]], dtype=np.float32)


def _by_hand(prediction: float, count: float, row_sum: float, col_sum: float, total: float):
    """One cell's loss and d loss / d prediction, written out from the paper
    (base 0.1, scale 0.25, exponent 0.5)."""
    if count > 0:
        pmi = math.log(count * total / (row_sum * col_sum))
        weight = 0.1 + 0.25 * math.sqrt(count)
        return 0.5 * weight * (prediction - pmi) ** 2, weight * (prediction - pmi)
    pmi_once = math.log(total / (row_sum * col_sum))
    error = prediction - pmi_once
    return math.log(1 + math.exp(error)), 1 / (1 + math.exp(-error))


def test_loss_and_gradient_of_a_block_match_the_hand_computed_cells():
    sums = MATRIX.sum(axis=1)
    total = float(MATRIX.sum())
    gradient = PREDICTIONS.copy()
    squared, hinge = _swivel_kernels.block_loss_gradient(
        gradient,
        MATRIX,
        np.log(sums).astype(np.float32),
        np.log(sums).astype(np.float32),
        np.float32(math.log(total)),
        np.float32(0.1),
        np.float32(0.25),
        np.float32(0.5),
    )
    cells = [
        [_by_hand(PREDICTIONS[a, b], MATRIX[a, b], sums[a], sums[b], total) for b in range(3)]
        for a in range(3)
    ]
    seen = MATRIX > 0
    expected_squared = sum(cells[a][b][0] for a in range(3) for b in range(3) if seen[a, b])
    expected_hinge = sum(cells[a][b][0] for a in range(3) for b in range(3) if not seen[a, b])
    assert squared == pytest.approx(expected_squared, rel=1e-5)
    assert hinge == pytest.approx(expected_hinge, rel=1e-5)
    expected_gradient = np.array([[cells[a][b][1] for b in range(3)] for a in range(3)])
    assert gradient == pytest.approx(expected_gradient, rel=1e-5, abs=1e-6)
    # The two unobserved cells: the soft hinge pulls their prediction down.
    assert gradient[0, 2] > 0 and gradient[2, 0] > 0


def test_gradient_is_the_derivative_of_the_loss():
    # A central difference on every cell against the kernel's gradient.
    sums = np.log(MATRIX.sum(axis=1)).astype(np.float32)
    arguments = (MATRIX, sums, sums, np.float32(math.log(MATRIX.sum())), 0.1, 0.25, 0.5)

    def loss(predictions: np.ndarray) -> float:
        return float(sum(_swivel_kernels.block_loss_gradient(predictions.copy(), *arguments)))

    gradient = PREDICTIONS.astype(np.float64).copy()
    _swivel_kernels.block_loss_gradient(gradient, *arguments)
    step = 1e-4
    for a in range(3):
        for b in range(3):
            up, down = PREDICTIONS.astype(np.float64), PREDICTIONS.astype(np.float64)
            up[a, b] += step
            down[a, b] -= step
            assert (loss(up) - loss(down)) / (2 * step) == pytest.approx(gradient[a, b], abs=1e-4)


def test_shards_deal_words_round_robin_and_keep_every_count():
    rng = np.random.default_rng(0)
    matrix = np.triu(rng.integers(0, 3, size=(10, 10)).astype(np.float64))
    matrix = matrix + matrix.T
    shards = make_shards(_counts(matrix), shard_size=4)
    assert shards.k == 3
    assert [list(m) for m in shards.members] == [[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]
    rebuilt = np.zeros_like(matrix)
    for block in range(shards.k * shards.k):
        begin, end = shards.starts[block], shards.starts[block + 1]
        row_ids = shards.members[block // shards.k][shards.local_rows[begin:end]]
        col_ids = shards.members[block % shards.k][shards.local_cols[begin:end]]
        rebuilt[row_ids, col_ids] = shards.values[begin:end]
    assert np.array_equal(rebuilt, matrix)
    assert shards.log_total == pytest.approx(math.log(matrix.sum()))


def test_fits_pmi_on_seen_pairs_and_pushes_unseen_ones_below():
    # A block structure: words 0-3 co-occur among themselves, 4-7 likewise.
    matrix = np.zeros((8, 8))
    matrix[:4, :4] = 20.0
    matrix[4:, 4:] = 20.0
    fit = fit_swivel(_counts(matrix), dim=8, shard_size=3, epochs=300, learning_rate=0.05, seed=1)
    assert fit.losses[-1] < 0.2 * fit.losses[0]
    predicted = fit.rows @ fit.cols.T
    pmi_seen = math.log(20.0 * matrix.sum() / (80.0 * 80.0))
    assert predicted[:4, :4] == pytest.approx(np.full((4, 4), pmi_seen), abs=0.15)
    # Never seen together: well below the PMI a single sighting would have.
    assert predicted[:4, 4:].max() < math.log(matrix.sum() / (80.0 * 80.0))


@pytest.fixture(scope="module")
def law_swivel(law_tokens):
    return koembed.train(
        "swivel", law_tokens, dim=24, window=5, min_count=2, epochs=30, shard_size=512, workers=2
    )


def test_trains_saves_loads_and_answers(law_swivel, tmp_path):
    assert law_swivel.dim == 24 and len(law_swivel) > 500
    losses = law_swivel.meta["epoch_losses"]
    assert len(losses) == 30 and losses[-1] < 0.7 * losses[0]
    law_swivel.save(tmp_path / "swivel")
    loaded = koembed.load(tmp_path / "swivel")
    assert loaded.meta["method"] == "swivel"
    assert loaded.meta["params"]["shard_size"] == 512
    assert np.array_equal(np.asarray(loaded.vectors), law_swivel.vectors)
    # The constitution's offices are neighbours.
    neighbours = [word for word, _ in loaded.most_similar("대통령", topn=10)]
    assert {"국무총리", "대법원장", "국회의장", "국무위원"} & set(neighbours)


def test_vectors_summed_row_only_or_side_by_side(law_tokens):
    options = dict(dim=6, window=3, min_count=3, epochs=2, workers=1, seed=5, shard_size=256)
    summed = koembed.train("swivel", law_tokens, **options)
    rows = koembed.train("swivel", law_tokens, vectors="row", **options)
    both = koembed.train("swivel", law_tokens, vectors="concat", **options)
    assert both.dim == 12 and rows.dim == 6
    assert np.allclose(both.vectors[:, :6], rows.vectors)
    assert np.allclose(both.vectors[:, :6] + both.vectors[:, 6:], summed.vectors)


def test_one_thread_with_a_seed_is_reproducible(law_tokens):
    options = dict(dim=8, window=3, min_count=3, epochs=2, workers=1, seed=7, shard_size=300)
    first = koembed.train("swivel", law_tokens, **options)
    second = koembed.train("swivel", law_tokens, **options)
    assert np.array_equal(first.vectors, second.vectors)
    other = koembed.train("swivel", law_tokens, **{**options, "seed": 8})
    assert not np.array_equal(first.vectors, other.vectors)


def test_reports_progress_per_epoch_with_the_loss(law_tokens):
    events = []
    koembed.train(
        "swivel", law_tokens, dim=8, min_count=3, epochs=3, workers=1, progress=events.append
    )
    epochs = [e for e in events if e.task == "train swivel" and e.done > 0]
    assert [e.done for e in epochs] == [1, 2, 3]
    assert all(e.info["loss"] > 0 for e in epochs)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (dict(dim=0), r"dim\(0\) must be >= 1"),
        (dict(shard_size=8), r"shard_size\(8\) must be >= 16"),
        (dict(epochs=0), r"epochs\(0\) must be >= 1"),
        (dict(learning_rate=0.0), r"learning_rate\(0.0\) must be >= 1e-06"),
        (dict(confidence_exponent=-1.0), r"confidence_exponent\(-1.0\) must be >= 0.0"),
        (dict(confidence_base=0.0, confidence_scale=0.0), "no seen pair would count"),
        (dict(vectors="mean"), r"vectors='mean' must be one of sum, row, concat"),
        (dict(memory=1000.0), r"memory\(1000.0 GiB\) is more than this machine's"),
        (dict(x_max=10.0), r"swivel has no parameter 'x_max'"),
    ],
)
def test_bad_parameters_are_refused_before_any_work(params, message):
    with pytest.raises(BadInputError, match=message):
        koembed.train("swivel", "/nonexistent/corpus.tokens", **params)


def test_no_cooccurrence_is_a_clear_error():
    with pytest.raises(BadInputError, match="no two of the 2 vocabulary words occur within"):
        koembed.train("swivel", [["a"], ["b"]], min_count=1, window=2)


def test_command_line_refuses_an_unknown_vectors_choice(law_tokens, tmp_path):
    out = tmp_path / "model"
    result = runner.invoke(
        app, ["train", "swivel", str(law_tokens.path), "-o", str(out), "--vectors", "avg"]
    )
    assert result.exit_code == 1
    assert result.output.startswith("error: --vectors avg must be one of sum, row, concat")
    assert not out.exists()
