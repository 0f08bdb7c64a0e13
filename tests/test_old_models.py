"""Model directories written by koembed before the restructuring still load and
answer as they did: one small directory of every kind, made by the old code
(tests/data/old-models/make_fixtures.py), with the answers it gave then."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

import koembed
from koembed import BadInputError, DocumentModel, Embeddings
from koembed.models.directory import kind_of
from koembed.models.subword import SubwordEmbeddings
from koembed.registry import MODEL_KINDS

OLD = Path(__file__).parent / "data" / "old-models"
EXPECTED = json.loads((OLD / "expected.json").read_text(encoding="utf-8"))
MODELS = EXPECTED["models"]
WORD, TEXT = EXPECTED["word"], EXPECTED["text"]

KINDS = {
    "word2vec": Embeddings,
    "glove": Embeddings,
    "ppmi": Embeddings,
    "lsa": Embeddings,
    "fasttext": SubwordEmbeddings,
    "fasttext-jamo": SubwordEmbeddings,
    "doc2vec-dm": DocumentModel,
    "doc2vec-dbow": DocumentModel,
    "sif": DocumentModel,
    "lsa-doc": DocumentModel,
}


def test_every_kind_has_a_fixture_without_a_recorded_kind():
    assert set(MODELS) == set(KINDS) == {p.name for p in OLD.iterdir() if p.is_dir()}
    for name in KINDS:
        assert "kind" not in json.loads((OLD / name / "koembed.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(KINDS))
def test_old_directory_loads_as_its_kind(name):
    model = koembed.load(OLD / name)
    assert isinstance(model, KINDS[name])


@pytest.mark.parametrize("name", sorted(n for n in MODELS if "vector" in MODELS[n]))
def test_old_model_gives_the_same_vectors_and_neighbours(name):
    expected = MODELS[name]
    model = koembed.load(OLD / name)
    words = model.word_vectors if isinstance(model, DocumentModel) else model
    assert len(words) == expected["vocab_size"]
    np.testing.assert_allclose(words[WORD], expected["vector"], atol=1e-6)
    neighbours = words.most_similar(WORD, topn=5)
    assert [w for w, _ in neighbours] == [w for w, _ in expected["neighbours"]]
    np.testing.assert_allclose(
        [s for _, s in neighbours], [s for _, s in expected["neighbours"]], atol=1e-6
    )
    for unseen, vector in expected.get("unseen", {}).items():
        assert unseen not in words
        np.testing.assert_allclose(words[unseen], vector, atol=1e-6)


@pytest.mark.parametrize("name", sorted(n for n in MODELS if "embed" in MODELS[n]))
def test_old_document_model_embeds_text_as_it_did(name):
    expected = MODELS[name]
    model = koembed.load(OLD / name)
    assert model.n_documents == expected["n_documents"]
    assert [model.document(row) for row in (0, 1)] == expected["documents"]
    np.testing.assert_allclose(model.embed([TEXT])[0], expected["embed"], atol=1e-5)
    nearest = model.most_similar_documents(TEXT, topn=3)
    assert [m.row for m in nearest] == [row for row, _ in expected["nearest"]]
    np.testing.assert_allclose(
        [m.score for m in nearest], [s for _, s in expected["nearest"]], atol=1e-5
    )


def test_old_pv_dbow_model_refuses_word_queries():
    model = koembed.load(OLD / "doc2vec-dbow")
    with pytest.raises(BadInputError, match="trained no word vectors"):
        model.word_vectors.most_similar(WORD)


KINDS_SINCE = {"lda"}


def test_every_registered_kind_names_itself_and_has_an_old_fixture():
    for name in MODEL_KINDS.names():
        cls = MODEL_KINDS.get(name)
        assert cls.kind == name and callable(cls.from_arrays)
    old_kinds = {kind_of(json.loads((OLD / n / "koembed.json").read_text("utf-8"))) for n in KINDS}
    # Kinds added after koembed.json started recording the kind have no older directories.
    assert old_kinds == set(MODEL_KINDS.names()) - KINDS_SINCE


@pytest.mark.parametrize("name", sorted(KINDS))
def test_saved_again_it_records_its_kind_and_loads_the_same(name, tmp_path):
    model = koembed.load(OLD / name)
    saved = model.save(tmp_path / name)
    kind = json.loads((saved / "koembed.json").read_text(encoding="utf-8"))["kind"]
    again = koembed.load(saved)
    assert type(again) is type(model) and MODEL_KINDS.get(kind) is type(model)
    if isinstance(model, DocumentModel):
        np.testing.assert_array_equal(again.doc_vectors, model.doc_vectors)
        np.testing.assert_array_equal(again.embed([TEXT]), model.embed([TEXT]))
        assert again.word_vectors_trained is model.word_vectors_trained
    else:
        assert again.words == model.words
        np.testing.assert_array_equal(again.vectors, model.vectors)
