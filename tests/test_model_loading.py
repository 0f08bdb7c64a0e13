"""Loading a model directory fast: vocab.txt in bulk, unit vectors memory-mapped."""

from __future__ import annotations

import numpy as np
import pytest

from koembed import BadInputError, Embeddings, load

WORDS = ["영화", "배우", "감독", "재미"]


def save(tmp_path, counts=(40, 30, 20, 10)) -> str:
    vectors = np.arange(len(WORDS) * 3, dtype=np.float32).reshape(len(WORDS), 3) + 1
    path = tmp_path / "model"
    counts = None if counts is None else np.array(counts)
    Embeddings(WORDS, vectors, counts, {"method": "test"}).save(path)
    return path


@pytest.mark.parametrize("counts", [(40, 30, 20, 10), None])
def test_round_trip(tmp_path, counts):
    path = save(tmp_path, counts)
    model = load(path)
    assert model.words == WORDS
    if counts is None:
        assert model.counts is None
    else:
        assert model.counts.tolist() == list(counts) and model.counts.dtype == np.int64
    expected = model.vectors / np.linalg.norm(model.vectors, axis=1, keepdims=True)
    assert np.allclose(model.unit_vectors, expected)
    assert isinstance(model.unit_vectors, np.ndarray)


def test_bad_count_names_its_line(tmp_path):
    path = save(tmp_path)
    (path / "vocab.txt").write_text("영화\t40\n배우\tmany\n감독\t20\n재미\t10\n", encoding="utf-8")
    with pytest.raises(BadInputError, match=r"vocab.txt:2: count 'many'"):
        load(path)


def test_unit_file_must_match_the_matrix(tmp_path):
    path = save(tmp_path)
    np.save(path / "vectors.norm.npy", np.zeros((2, 3), dtype=np.float32))
    with pytest.raises(BadInputError, match=r"vectors\.norm\.npy has shape"):
        load(path)


def test_unit_file_is_optional(tmp_path):
    path = save(tmp_path)
    (path / "vectors.norm.npy").unlink()
    model = load(path)
    assert np.allclose(np.linalg.norm(model.unit_vectors, axis=1), 1.0)
    assert model.most_similar("영화", topn=1)[0][0] == "배우"
