"""koembed export in the formats other tools read: word2vec text and binary,
GloVe text (the fastText .bin is tested with the fastText models)."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

import koembed
from koembed import Embeddings
from koembed.cli import app

WORDS = ["영화", "드라마", "배우", "감독", "[bold]"]
COUNTS = [10, 50, 30, 40, 20]


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    vectors = np.random.default_rng(3).normal(size=(len(WORDS), 4)).astype(np.float32)
    model = Embeddings(WORDS, vectors, np.array(COUNTS), {"method": "hand-made"})
    return model.save(tmp_path_factory.mktemp("models") / "hand")


def export(*args: object):
    return CliRunner().invoke(app, ["export", *map(str, args)])


@pytest.mark.parametrize(
    ("format", "name", "binary", "header"),
    [
        ("word2vec", "w2v.txt", False, True),
        ("word2vec-binary", "w2v.bin", True, True),
        ("glove", "glove.txt", False, False),
    ],
)
def test_vector_files_read_back_by_gensim_and_koembed(
    model_dir, tmp_path, format, name, binary, header
):
    from gensim.models import KeyedVectors

    out = tmp_path / name
    result = export("--model", model_dir, "--format", format, "-o", out, "--top", 3)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: 3 words x 4 dims ({format})" in " ".join(result.stderr.split())
    model = koembed.load(model_dir)
    top = ["드라마", "감독", "배우"]  # by count
    theirs = KeyedVectors.load_word2vec_format(str(out), binary=binary, no_header=not header)
    assert theirs.index_to_key == top
    np.testing.assert_allclose(theirs.vectors, model[top], rtol=1e-5)
    ours = koembed.load(out)
    assert ours.words == top
    np.testing.assert_allclose(ours.vectors, model[top], rtol=1e-5)
    if not binary:
        first = out.read_text(encoding="utf-8").splitlines()[0]
        assert (first == "3 4") is header


def test_every_word_by_default_and_markup_kept(model_dir, tmp_path):
    out = tmp_path / "all.txt"
    assert export("--model", model_dir, "-f", "word2vec", "-o", out).exit_code == 0
    assert sorted(koembed.load(out).words) == sorted(WORDS)


def test_an_existing_file_is_kept_without_overwrite(model_dir, tmp_path):
    out = tmp_path / "w2v.txt"
    out.write_text("keep", encoding="utf-8")
    result = export("--model", model_dir, "-f", "word2vec", "-o", out)
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert out.read_text(encoding="utf-8") == "keep"
    assert export("--model", model_dir, "-f", "word2vec", "-o", out, "--overwrite").exit_code == 0
    assert koembed.load(out).dim == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w2v.txt"]  # no temporary left


def test_unknown_format_lists_the_formats(model_dir, tmp_path):
    result = export("--model", model_dir, "-f", "fasttext-vec", "-o", tmp_path / "x")
    assert result.exit_code == 1
    listed = "valid export formats: fasttext, glove, projector, word2vec, word2vec-binary"
    assert listed in " ".join(result.stderr.split())


def test_a_file_replaces_a_folder_with_overwrite(model_dir, tmp_path):
    out = tmp_path / "vectors"
    (out / "inside").mkdir(parents=True)
    result = export("--model", model_dir, "-f", "glove", "-o", out)
    assert result.exit_code == 1 and "already exists" in result.stderr
    assert export("--model", model_dir, "-f", "glove", "-o", out, "--overwrite").exit_code == 0
    assert out.is_file() and koembed.load(out).dim == 4
    assert [p.name for p in tmp_path.iterdir()] == ["vectors"]  # no temporary, no old copy
