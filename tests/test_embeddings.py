"""The model directory: save/load round trips, standard formats, bad models."""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest

import koembed
from koembed import BadInputError, Embeddings, OutputExistsError, UnknownWordError
from koembed.evaluate import AnalogyItem, AnalogyResult, WordPair, WordPairsResult


@pytest.fixture
def tiny() -> Embeddings:
    words = ["희망", "절망", "젊음", "신념", "영화"]
    vectors = np.array(
        [[1.0, 0.0, 0.0], [0.9, 0.1, 0.0], [0.7, 0.7, 0.0], [0.5, 0.0, 0.5], [0.0, 0.0, 1.0]],
        dtype=np.float32,
    )
    return Embeddings(words, vectors, np.array([50, 40, 30, 20, 10]), {"method": "hand-made"})


def test_most_similar_excludes_the_query_and_orders_by_cosine(tiny):
    result = tiny.most_similar("희망", topn=3)
    assert [w for w, _ in result] == ["절망", "젊음", "신념"]
    assert result[0][1] == pytest.approx(0.9 / np.sqrt(0.82), rel=1e-6)
    assert all(a[1] >= b[1] for a, b in itertools.pairwise(result))


def test_round_trip_directory_is_identical_and_pickle_free(tiny, tmp_path):
    path = tiny.save(tmp_path / "model", binary=True)
    assert sorted(p.name for p in path.iterdir()) == [
        "koembed.json",
        "vectors.bin",
        "vectors.norm.npy",
        "vectors.npy",
        "vectors.txt",
        "vocab.txt",
    ]
    loaded = koembed.load(path)
    assert loaded.words == tiny.words
    np.testing.assert_array_equal(np.asarray(loaded.vectors), tiny.vectors)
    np.testing.assert_array_equal(loaded.counts, tiny.counts)
    assert loaded.meta["method"] == "hand-made"
    assert loaded.most_similar("희망", topn=4) == tiny.most_similar("희망", topn=4)
    # Loadable with pickles forbidden: .npy + text + JSON only.
    np.load(path / "vectors.npy", allow_pickle=False)
    json.loads((path / "koembed.json").read_text(encoding="utf-8"))


def test_word2vec_files_are_read_by_gensim_and_by_load(tiny, tmp_path):
    from gensim.models import KeyedVectors

    path = tiny.save(tmp_path / "model", binary=True)
    for name, binary in (("vectors.txt", False), ("vectors.bin", True)):
        gensim_vectors = KeyedVectors.load_word2vec_format(str(path / name), binary=binary)
        assert list(gensim_vectors.index_to_key) == tiny.words
        np.testing.assert_allclose(gensim_vectors.vectors, tiny.vectors, rtol=1e-5)
        bare = koembed.load(path / name)
        assert bare.words == tiny.words
        np.testing.assert_allclose(bare.vectors, tiny.vectors, rtol=1e-5)


def test_bare_glove_file_without_header(tmp_path):
    glove = tmp_path / "glove.txt"
    glove.write_text("희망 1 0 0\n절망 0.9 0.1 0\n", encoding="utf-8")
    loaded = koembed.load(glove)
    assert loaded.words == ["희망", "절망"]
    assert loaded.dim == 3


def test_existing_directory_refused_unless_overwrite_and_replaced_whole(tiny, tmp_path):
    path = tiny.save(tmp_path / "model")
    with pytest.raises(OutputExistsError):
        tiny.save(path)
    smaller = Embeddings(tiny.words[:2], tiny.vectors[:2])
    smaller.save(path, overwrite=True)
    assert koembed.load(path).words == tiny.words[:2]
    assert not (path / "vectors.bin").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["model"]


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: (d / "vectors.npy").unlink(), "incomplete: vectors.npy is missing"),
        (lambda d: (d / "vocab.txt").unlink(), "incomplete: vocab.txt is missing"),
        (lambda d: (d / "koembed.json").unlink(), "not a koembed model directory"),
        (lambda d: (d / "koembed.json").write_text("{", encoding="utf-8"), "not valid JSON"),
        (lambda d: (d / "vectors.npy").write_bytes(b"garbage"), "vectors.npy is corrupt"),
        (
            lambda d: (d / "vocab.txt").write_text("희망\t1\n", encoding="utf-8"),
            "inconsistent: 1 words",
        ),
    ],
)
def test_damaged_model_directories(tiny, tmp_path, damage, message):
    path = tiny.save(tmp_path / "model")
    damage(path)
    with pytest.raises(BadInputError, match=message):
        koembed.load(path)


def test_missing_model_path(tmp_path):
    with pytest.raises(BadInputError, match="no model at"):
        koembed.load(tmp_path / "nothing")


def test_unknown_word_names_close_spellings(tiny):
    with pytest.raises(
        UnknownWordError, match=r"'희망찬' is not in .*closest in the vocabulary: 희망"
    ):
        tiny.vector("희망찬")


def test_queries_are_tokenized_with_the_models_pipeline(law_model):
    neighbours, resolved = law_model.most_similar_resolved("국민을", topn=5)
    assert resolved[0].tokens == ["국민", "을"]
    assert resolved[0].found == ["국민", "을"]
    assert {"국민", "을"}.isdisjoint(w for w, _ in neighbours)
    assert len(neighbours) == 5


def test_model_metadata_records_method_params_corpus_and_tokenizer(law_model, tmp_path):
    path = law_model.save(tmp_path / "w2v")
    meta = json.loads((path / "koembed.json").read_text(encoding="utf-8"))
    assert meta["method"] == "word2vec"
    assert meta["params"]["dim"] == 32
    assert meta["corpus"]["lines"] > 4000
    assert meta["pipeline"]["tokenizer"]["name"] == "mecab"
    assert meta["vocab_size"] == len(law_model)
    assert "gensim" in meta["versions"]


# -- the API a gensim user knows ----------------------------------------------------


def test_gensim_lookups(tiny):
    assert len(tiny) == 5 and "희망" in tiny and "희망찬" not in tiny
    assert tiny.vector_size == tiny.dim == 3
    assert tiny.index_to_key == tiny.words and tiny.key_to_index["젊음"] == 2
    np.testing.assert_array_equal(tiny["젊음"], tiny.vectors[2])
    np.testing.assert_array_equal(tiny[["희망", "영화"]], tiny.vectors[[0, 4]])
    assert tiny[[]].shape == (0, 3)
    np.testing.assert_allclose(tiny.get_vector("젊음", norm=True), [0.5**0.5, 0.5**0.5, 0])
    np.testing.assert_array_equal(tiny.get_vector("젊음"), tiny["젊음"])
    with pytest.raises(KeyError, match="closest in the vocabulary: 희망"):
        tiny["희망찬"]  # UnknownWordError is a KeyError, as gensim raises


def test_gensim_lookups_match_gensim(tiny):
    from gensim.models import KeyedVectors

    reference = KeyedVectors(tiny.dim)
    reference.add_vectors(tiny.words, tiny.vectors)
    ours, theirs = tiny.most_similar("젊음", topn=4), reference.most_similar("젊음", topn=4)
    assert [w for w, _ in ours] == [w for w, _ in theirs] == ["절망", "희망", "신념", "영화"]
    assert [s for _, s in ours] == pytest.approx([s for _, s in theirs], abs=1e-6)
    assert tiny.similarity("희망", "신념") == pytest.approx(reference.similarity("희망", "신념"))
    assert tiny.doesnt_match(["희망", "절망", "영화"]) == reference.doesnt_match(
        ["희망", "절망", "영화"]
    )
    np.testing.assert_array_equal(tiny[["희망", "영화"]], reference[["희망", "영화"]])


@pytest.mark.parametrize(
    ("name", "args", "kwargs", "kind"),
    [
        ("similarity", ("희망", "신념"), {}, float),
        ("doesnt_match", (["희망", "절망", "영화"],), {}, str),
        ("analogy", ("희망", "절망", "젊음"), {"topn": 2}, list),
        ("evaluate_word_pairs", ([WordPair("희망", "절망", 9.0, 1)],), {}, WordPairsResult),
        (
            "evaluate_word_analogies",
            ([AnalogyItem("s", "희망", "절망", "젊음", "신념", 1)],),
            {},
            AnalogyResult,
        ),
    ],
)
def test_method_and_function_give_one_answer(tiny, name, args, kwargs, kind):
    by_method = getattr(tiny, name)(*args, **kwargs)
    by_function = getattr(koembed, name)(tiny, *args, **kwargs)
    assert type(by_method) is type(by_function) is kind
    assert by_method == by_function


def test_plain_answers_are_the_resolved_answers(tiny):
    from koembed.evaluate import analogy_resolved, doesnt_match_resolved, similarity_resolved

    assert tiny.similarity("희망", "신념") == similarity_resolved(tiny, "희망", "신념").cosine
    assert tiny.doesnt_match(["희망", "영화"]) == doesnt_match_resolved(tiny, ["희망", "영화"]).odd
    answers = analogy_resolved(tiny, "희망", "절망", "젊음", topn=2).answers
    assert tiny.analogy("희망", "절망", "젊음", topn=2) == answers
    assert [w for w, _ in answers] == ["신념", "영화"]
