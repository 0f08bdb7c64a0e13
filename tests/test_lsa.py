"""LSA: TF-IDF x truncated SVD; word vectors V*S, document vectors kept."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

import koembed
from koembed.cli import app
from koembed.errors import BadInputError


@pytest.fixture(scope="module")
def lsa_model(law_tokens):
    return koembed.train("lsa", law_tokens, dim=16, min_count=2)


def test_save_load_most_similar(lsa_model, law_tokens, tmp_path):
    lines = law_tokens.path.read_text(encoding="utf-8").splitlines()
    saved = koembed.load(lsa_model.save(tmp_path / "lsa"))
    assert saved.words == lsa_model.words
    # One document vector per line, in corpus order, loaded memory-mapped.
    assert saved.arrays["doc_vectors"].shape == (len(lines), 16)
    assert isinstance(saved.arrays["doc_vectors"], np.memmap)
    assert saved.meta["files"]["doc_vectors"] == "doc_vectors.npy"
    assert saved.most_similar("헌법", topn=5) == lsa_model.most_similar("헌법", topn=5)


def test_vocabulary_and_counts_as_word2vec(lsa_model, law_model, law_tokens):
    # min_count counts corpus occurrences, as for the other methods.
    assert set(lsa_model.words) == set(law_model.words)
    counts = dict(zip(lsa_model.words, lsa_model.counts))
    text = law_tokens.path.read_text(encoding="utf-8").split()
    assert counts["헌법"] == text.count("헌법")
    assert list(lsa_model.counts) == sorted(lsa_model.counts, reverse=True)


def test_word_and_document_vectors_are_the_documented_ones(lsa_model, law_tokens):
    singular = lsa_model.arrays["singular_values"]
    assert list(singular) == sorted(singular, reverse=True)
    # Word vectors are V*S with V orthonormal: their squared norm sums to sum(S^2).
    vectors = np.asarray(lsa_model.vectors, dtype=np.float64)
    assert np.isclose((vectors**2).sum(), (singular.astype(np.float64) ** 2).sum(), rtol=1e-4)
    # A document vector is its TF-IDF row (l2-normalised tf * idf) times V.
    line = law_tokens.path.read_text(encoding="utf-8").splitlines()[10]
    row = np.zeros(len(lsa_model), dtype=np.float64)
    for token in line.split():
        if token in lsa_model.index:
            row[lsa_model.index[token]] += 1
    row *= lsa_model.arrays["idf"]
    row /= np.linalg.norm(row)
    folded = row @ (vectors / singular)
    assert np.allclose(folded, lsa_model.arrays["doc_vectors"][10], atol=1e-4)


def test_eig_zero_gives_orthonormal_v(law_tokens):
    model = koembed.train("lsa", law_tokens, dim=16, min_count=2, eig=0.0)
    vectors = np.asarray(model.vectors, dtype=np.float64)
    assert np.allclose(vectors.T @ vectors, np.eye(16), atol=1e-4)


def test_doc_sep_makes_blank_line_separated_documents(tmp_path):
    corpus = tmp_path / "docs.tokens"
    blocks = ["가 나 다\n나 다 라", "라 마 바\n마 바", "가 바 사\n사 가"]
    corpus.write_text("\n\n".join(blocks) + "\n", encoding="utf-8")
    model = koembed.train("lsa", corpus, dim=2, min_count=1, doc_sep=True)
    assert model.arrays["doc_vectors"].shape == (3, 2)
    assert model.meta["documents"] == 3
    per_line = koembed.train("lsa", corpus, dim=2, min_count=1)
    assert per_line.meta["documents"] == 8  # blank lines are (empty) documents


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"dim": 0}, r"dim\(0\) must be >= 1"),
        ({"min_count": 0}, r"min_count\(0\) must be >= 1"),
        ({"n_iter": 0}, r"n_iter\(0\) must be >= 1"),
        ({"doc_sep": 1}, "doc_sep=1 must be a bool"),
        ({"eig": 2}, r"eig\(2.0\) must be <= 1.0"),
        ({"window": 5}, "lsa has no parameter 'window'"),
    ],
)
def test_params_checked_before_any_work(params, message, tmp_path):
    with pytest.raises(BadInputError, match=message):
        koembed.train("lsa", tmp_path / "missing.tokens", **params)


def test_dim_larger_than_the_data_is_refused(law_tokens):
    with pytest.raises(BadInputError, match=r"dim\(5000\) must be <= min\(documents"):
        koembed.train("lsa", law_tokens, dim=5000, min_count=2)


def test_cli_round_trip(law_tokens, tmp_path):
    runner = CliRunner()
    out = tmp_path / "lsa"
    args = ["train", "lsa", str(law_tokens.path), "-o", str(out), "--dim", "16"]
    result = runner.invoke(app, [*args, "--min-count", "2"])
    assert result.exit_code == 0, result.output
    assert (out / "doc_vectors.npy").exists()
    result = runner.invoke(app, ["similar", "헌법", "-m", str(out), "-n", "3", "--json"])
    assert result.exit_code == 0, result.output
    assert '"neighbours"' in result.stdout
    result = runner.invoke(app, [*args, "--min-count", "0"])
    assert result.exit_code == 1
    assert result.stderr.strip().startswith("error: --min-count(0) must be >= 1")
