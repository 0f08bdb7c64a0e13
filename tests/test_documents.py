"""Document embeddings: SIF (weights and component removal pinned), doc2vec
(inference reproducible), lsa-doc (fold-in), save/load, what documents show."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

import koembed
from koembed import BadInputError
from koembed.documents import train_documents
from koembed.documents.doc2vec import Doc2VecModel
from koembed.documents.lsa import LsaDocModel
from koembed.documents.sif import SifModel
from koembed.evaluate.documents import evaluate_documents, parse_classes, read_labels
from koembed.models import Embeddings
from koembed.models.documents import DocumentModel, load_documents


@pytest.fixture(scope="module")
def law_word_model(law_model, tmp_path_factory):
    return law_model.save(tmp_path_factory.mktemp("w2v") / "w2v")


@pytest.fixture(scope="module")
def law_sif(law_tokens, law_word_model):
    return train_documents("sif", law_tokens, word_model=law_word_model)


@pytest.fixture(scope="module")
def law_lines(law_tokens):
    return law_tokens.path.read_text(encoding="utf-8").splitlines()


@pytest.fixture(scope="module")
def law_dbow(law_tokens):
    return train_documents(
        "doc2vec", law_tokens, dm=False, dim=24, min_count=2, epochs=5, workers=1, seed=3
    )


# -- SIF ------------------------------------------------------------------------


def hand_word_model(tmp_path):
    """Three words with vectors chosen by hand."""
    words = ["영화", "가", "좋다"]
    vectors = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 2]], dtype=np.float32)
    return Embeddings(words, vectors, np.array([3, 2, 1])).save(tmp_path / "hand")


def test_sif_weights_and_mean_pinned_by_hand(tmp_path):
    # 영화 4 times, 가 3, 좋다 1, 별로 2 (no vector): 10 tokens in all.
    corpus = [["영화", "가", "좋다"], ["영화", "가", "별로"], ["영화", "영화", "가", "별로"]]
    model = train_documents(
        "sif", corpus, word_model=hand_word_model(tmp_path), sif_a=0.1, components=0
    )
    p = {"영화": 0.4, "가": 0.3, "좋다": 0.1}
    expected = [0.1 / (0.1 + p[w]) for w in ("영화", "가", "좋다")]
    assert np.allclose(model.arrays["weights"], expected)
    assert list(model.word_vectors.counts) == [
        4,
        3,
        1,
    ]  # this corpus's counts, not the word model's
    # Mean over the words that have a vector: 별로 counts in p(w) but not in the mean.
    w_movie, w_ga, w_good = expected
    assert np.allclose(model.doc_vectors[0], [w_movie / 3, w_ga / 3, 2 * w_good / 3], atol=1e-6)
    assert np.allclose(model.doc_vectors[1], [w_movie / 2, w_ga / 2, 0], atol=1e-6)
    assert np.allclose(model.doc_vectors[2], [2 * w_movie / 3, w_ga / 3, 0], atol=1e-6)
    assert np.allclose(model.embed(["영화 가 좋다"], pretokenized=True), model.doc_vectors[:1])


def test_average_variant_is_the_plain_mean(tmp_path):
    corpus = [["영화", "가", "좋다"], ["영화", "영화", "가"]]
    model = train_documents("sif", corpus, word_model=hand_word_model(tmp_path), variant="average")
    assert np.allclose(model.doc_vectors, [[1 / 3, 1 / 3, 2 / 3], [2 / 3, 1 / 3, 0]], atol=1e-6)
    assert model.arrays["components"].shape == (0, 3)


def test_sif_removes_the_first_principal_component(law_sif, law_lines):
    model = law_sif
    components = np.asarray(model.arrays["components"], dtype=np.float64)
    assert components.shape == (1, model.word_vectors.dim)
    assert np.isclose(np.linalg.norm(components[0]), 1.0, atol=1e-5)
    # The component is the top right singular vector of the weighted averages
    # (uncentred, as in the authors' code)...
    before = model.weighted_average([line.split() for line in law_lines]).astype(np.float64)
    top = np.linalg.svd(before, full_matrices=False)[2][0]
    assert abs(abs(top @ components[0]) - 1) < 1e-4
    # ...and what it carried is gone: the projections are ~0 (they were not).
    docs = np.asarray(model.doc_vectors, dtype=np.float64)
    scale = np.linalg.norm(docs, axis=1).max()
    assert np.abs(docs @ components[0]).max() < 1e-5 * scale
    assert np.abs(before @ components[0]).max() > 0.1 * scale
    # New text is embedded exactly as the corpus was.
    assert np.allclose(model.embed(law_lines, pretokenized=True), docs, atol=1e-5)


def test_usif_removes_each_component_by_its_share(law_tokens, law_word_model, law_lines):
    model = train_documents("sif", law_tokens, word_model=law_word_model, variant="usif")
    components = np.asarray(model.arrays["components"], dtype=np.float64)
    scale = np.asarray(model.arrays["component_scale"], dtype=np.float64)
    assert components.shape == (5, model.word_vectors.dim)  # uSIF's default m = 5
    assert np.allclose(components @ components.T, np.eye(5), atol=1e-5)
    assert np.isclose(scale.sum(), 1.0) and list(scale) == sorted(scale, reverse=True)
    settings = model.meta["sif"]
    assert settings["variant"] == "usif" and settings["a"] > 0 and 0 < settings["alpha"] < 1
    # Weights a / (a/2 + p(w)) over unit-length word vectors.
    p = model.word_vectors.counts / settings["corpus_tokens"]
    assert np.allclose(model.arrays["weights"], settings["a"] / (settings["a"] / 2 + p), rtol=1e-5)
    before = model.weighted_average([line.split() for line in law_lines]).astype(np.float64)
    after = np.asarray(model.doc_vectors, dtype=np.float64)
    assert np.allclose(after @ components.T, (before @ components.T) * (1 - scale), atol=1e-5)


def test_sif_trains_word2vec_when_no_word_model_is_given(law_tokens):
    model = train_documents("sif", law_tokens, dim=16, min_count=2, epochs=2, workers=1)
    assert (
        model.word_vectors.dim == 16
        and model.meta["sif"]["word_model"] == "word2vec trained on the corpus"
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"variant": "tfidf"}, "variant='tfidf' must be one of sif, usif, average"),
        ({"sif_a": 0.0}, r"sif_a\(0.0\) must be >= 1e-12"),
        ({"components": -1}, r"components\(-1\) must be >= 0"),
        ({"word_model": "w2v", "dim": 50}, "dim sets up the word2vec model"),
        ({"variant": "usif", "sif_a": 0.01}, "usif does not use it"),
    ],
)
def test_sif_parameters_are_checked_first(params, message):
    with pytest.raises(BadInputError, match=message):
        koembed.trainers.create_trainer("sif", **params)


def test_sif_refuses_word_vectors_of_other_tokens(law_tokens, tmp_path):
    words = koembed.train("word2vec", [["a", "b"]] * 5, dim=4, min_count=1, workers=1)
    words.meta["pipeline"]["tokenizer"]["name"] = "okt"
    with pytest.raises(BadInputError, match=r"trained on okt tokens but .* holds mecab tokens"):
        train_documents("sif", law_tokens, word_model=words.save(tmp_path / "okt"))


def test_sif_needs_trained_word_vectors(tmp_path, law_tokens, law_dbow):
    with pytest.raises(BadInputError, match=r"no token of .* has a vector in the word model"):
        train_documents("sif", [["별로", "였다"]] * 3, word_model=hand_word_model(tmp_path))
    with pytest.raises(BadInputError, match="PV-DBOW model without trained word vectors"):
        train_documents("sif", law_tokens, word_model=law_dbow.save(tmp_path / "dbow"))


# -- doc2vec --------------------------------------------------------------------


def test_doc2vec_inference_is_reproducible(law_dbow, law_lines, tmp_path):
    texts = ["대통령 은 국군 을 통수 한다", "국민 의 권리 와 의무"]
    first = law_dbow.embed(texts, pretokenized=True)
    assert first.shape == (2, 24) and np.abs(first).min() >= 0 and first.any(axis=1).all()
    # Again, alone, and in another order: the same vectors, exactly.
    assert np.array_equal(law_dbow.embed(texts, pretokenized=True), first)
    alone = law_dbow.embed(texts[1:], pretokenized=True)
    assert np.array_equal(alone[0], first[1])
    swapped = law_dbow.embed([texts[1], *law_lines[:30], texts[0]], pretokenized=True)
    assert np.array_equal(swapped[0], first[1]) and np.array_equal(swapped[-1], first[0])
    # And after save/load in another process with another hash seed.
    saved = law_dbow.save(tmp_path / "d2v")
    script = (
        "import json, sys, koembed; m = koembed.load(sys.argv[1]); "
        "print(json.dumps(m.embed(sys.argv[2:], pretokenized=True).tolist()))"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    done = subprocess.run(
        [sys.executable, "-c", script, str(saved), *texts],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert np.array_equal(np.array(json.loads(done.stdout), dtype=np.float32), first)


def test_doc2vec_inferred_vectors_find_their_own_document(law_tokens, law_lines):
    model = train_documents(
        "doc2vec", law_tokens, dm=False, dim=32, min_count=2, epochs=20, workers=1
    )
    # Long lines that are not repeated elsewhere in the corpus.
    rows = [i for i, line in enumerate(law_lines) if len(line.split()) > 40]
    rows = [i for i in rows if law_lines.count(law_lines[i]) == 1][:10]
    hits = 0
    for row in rows:
        vector = model.embed([law_lines[row]], pretokenized=True)[0]
        hits += any(m.row == row for m in model.nearest_documents(vector, topn=3))
    assert hits >= 8, hits


def test_pv_dbow_without_word_training_refuses_word_queries(law_dbow):
    assert law_dbow.documents["word_vectors_trained"] is False
    with pytest.raises(BadInputError, match="trained no word vectors"):
        law_dbow.word_vectors.most_similar("대통령")


def test_doc2vec_tags_from_a_column_of_the_raw_corpus(tmp_path, sentences_path):
    lines = sentences_path.read_text(encoding="utf-8").splitlines()
    raw = tmp_path / "reviews.tsv"
    raw.write_text(
        "".join(f"movie{i % 3}\t{line}\n" for i, line in enumerate(lines * 4)), encoding="utf-8"
    )
    tokens = koembed.tokenize_corpus(koembed.read_corpus(raw, column=2), tmp_path / "r.mecab")
    model = train_documents(
        "doc2vec", tokens, tag_column=1, dim=8, min_count=1, epochs=3, workers=1
    )
    assert model.n_documents == 3 and model.documents["rows"] == "tags"
    assert [model.document(i) for i in range(3)] == ["movie0", "movie1", "movie2"]
    assert {m.text for m in model.most_similar_documents("정말 감동적인 영화", topn=3)} == {
        "movie0",
        "movie1",
        "movie2",
    }
    # The same from a tags file; a file of another length is refused.
    tags = tmp_path / "tags.txt"
    tags.write_text("".join(f"t{i % 2}\n" for i in range(len(lines) * 4)), encoding="utf-8")
    model = train_documents("doc2vec", tokens, tags=tags, dim=8, min_count=1, epochs=1, workers=1)
    assert model.n_documents == 2
    tags.write_text("a\nb\n", encoding="utf-8")
    with pytest.raises(BadInputError, match=r"has 2 tag lines but .* has 40 lines"):
        train_documents("doc2vec", tokens, tags=tags, min_count=1, workers=1)
    # A missing column is tag_column's, and a gone raw corpus is mended by a tags file.
    with pytest.raises(BadInputError, match=r"but tag_column 3 was asked for") as error:
        train_documents("doc2vec", tokens, tag_column=3, min_count=1, workers=1)
    assert error.value.parameters == ("tag_column",)
    raw.unlink()
    with pytest.raises(BadInputError, match=r"is gone; restore it, or give tags FILE") as error:
        train_documents("doc2vec", tokens, tag_column=1, min_count=1, workers=1)
    assert error.value.parameters == ("tags",)


# -- lsa-doc --------------------------------------------------------------------


def test_lsa_doc_folds_corpus_lines_back_to_their_vectors(law_tokens, law_lines):
    model = train_documents("lsa-doc", law_tokens, dim=16, min_count=2, sublinear_tf=True)
    assert model.n_documents == len(law_lines)
    folded = model.embed(law_lines, pretokenized=True)
    assert np.allclose(folded, model.doc_vectors, atol=1e-4)


def test_lsa_doc_blocks_show_their_joined_text(tmp_path):
    corpus = tmp_path / "blocks.txt"
    corpus.write_text("국민 의 권리\n국민 의 의무\n\n대통령 의 권한\n", encoding="utf-8")
    model = train_documents("lsa-doc", corpus, dim=2, min_count=1, doc_sep=True)
    assert model.documents["rows"] == "blocks" and model.n_documents == 2
    assert model.document(0) == "국민 의 권리 국민 의 의무"  # no manifest: its tokens


# -- every model ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "params", "cls"),
    [
        ("sif", {"dim": 16, "min_count": 2, "epochs": 2, "workers": 1}, SifModel),
        (
            "sif",
            {"dim": 16, "min_count": 2, "epochs": 2, "workers": 1, "variant": "usif"},
            SifModel,
        ),
        ("lsa-doc", {"dim": 8, "min_count": 2}, LsaDocModel),
        ("doc2vec", {"dim": 16, "min_count": 2, "epochs": 2, "workers": 1}, Doc2VecModel),
    ],
)
def test_save_load_round_trip(method, params, cls, law_tokens, law_lines, tmp_path):
    model = train_documents(method, law_tokens, **params)
    saved = model.save(tmp_path / method)
    loaded = koembed.load(saved)
    assert type(loaded) is cls and isinstance(loaded, DocumentModel)
    assert loaded.word_vectors.words == model.word_vectors.words
    assert np.array_equal(loaded.doc_vectors, model.doc_vectors)
    assert [loaded.document(i) for i in (0, 2, 100)] == [model.document(i) for i in (0, 2, 100)]
    sample = ["대통령은 국군을 통수한다", "국회의원의 임기는 4년으로 한다"]
    assert np.array_equal(loaded.embed(sample), model.embed(sample))
    # Nothing pickled: every array loads with pickles refused.
    for name in json.loads((saved / "koembed.json").read_text(encoding="utf-8"))["files"].values():
        if name.endswith(".npy"):
            np.load(saved / name, allow_pickle=False)
    assert loaded.most_similar_documents(sample[0], 3) == model.most_similar_documents(sample[0], 3)
    assert load_documents(saved).n_documents == len(law_lines)


def test_documents_show_the_raw_text(law_sif, law_tokens, law_lines):
    # law_tokens was tokenized from konlpy's kolaw + kobill files; the model
    # re-read them through the manifest.
    assert law_sif.documents["shows"] == "text"
    raw = list(koembed.read_corpus(["kolaw", "kobill"], normalize="none").iter_raw())
    assert len(raw) == len(law_lines)
    for row in (0, 2, 206):
        assert law_sif.document(row) == raw[row].strip()
    # A small corpus: the best match names both, most of the top 3 the president.
    best = law_sif.most_similar_documents("대통령은 국무총리를 임명한다", topn=3)
    assert "대통령" in best[0].text and "국무총리" in best[0].text
    assert sum("대통령" in match.text for match in best) >= 2


def test_a_raw_corpus_that_changed_is_refused(tmp_path, sentences_path, law_word_model):
    raw = tmp_path / "raw.txt"
    raw.write_text(sentences_path.read_text(encoding="utf-8"), encoding="utf-8")
    tokens = koembed.tokenize_corpus(raw, tmp_path / "raw.mecab")
    model = train_documents("lsa-doc", tokens, dim=2, min_count=1, show="text")
    assert model.document(2) == sentences_path.read_text(encoding="utf-8").splitlines()[2]
    with open(raw, "a", encoding="utf-8") as handle:
        handle.write("한 줄 더\n")
    with pytest.raises(BadInputError, match="now has more lines, but 10 were tokenized"):
        train_documents("lsa-doc", tokens, dim=2, min_count=1)
    model = train_documents("lsa-doc", tokens, dim=2, min_count=1, show="tokens")
    assert model.document(0) == tokens.path.read_text(encoding="utf-8").splitlines()[0]
    raw.unlink()
    with pytest.raises(BadInputError, match="is gone; restore it, or use show='tokens'"):
        train_documents("lsa-doc", tokens, dim=2, min_count=1, show="text")


def test_a_text_without_known_words(law_sif):
    with pytest.raises(BadInputError, match="no token of 'xyzzy'"):
        law_sif.most_similar_documents("xyzzy")
    assert not law_sif.embed(["xyzzy", ""]).any()
    with pytest.raises(BadInputError, match="topn must be 1 or more"):
        law_sif.most_similar_documents("대통령", topn=0)


def test_a_word_model_is_not_a_document_model(law_word_model):
    with pytest.raises(BadInputError, match=r"holds word vectors \(word2vec\), not documents"):
        load_documents(law_word_model)


# -- downstream classifier -------------------------------------------------------------


@pytest.mark.parametrize(
    ("spec", "expected"),
    [
        ("1-4:neg,9-10:pos", [(1, 4, "neg"), (9, 10, "pos")]),
        ("0:bad, 1:good", [(0, 0, "bad"), (1, 1, "good")]),
    ],
)
def test_parse_classes(spec, expected):
    assert parse_classes(spec) == expected


@pytest.mark.parametrize("spec", ["1-4", "4-1:x", "a-b:c", ""])
def test_parse_classes_refuses(spec):
    with pytest.raises(BadInputError, match="is not LOW-HIGH:NAME"):
        parse_classes(spec)


def test_labels_and_a_seeded_stratified_split(tmp_path):
    labels_file = tmp_path / "ratings.tsv"
    ratings = [1, 10, 5, 9, 4, 2, 10, 7] * 25
    labels_file.write_text("".join(f"id\t{r}\n" for r in ratings), encoding="utf-8")
    labels = read_labels(labels_file, label_column=2, classes="1-4:neg,9-10:pos")
    assert labels[:4] == ["neg", "pos", None, "pos"]
    # Vectors that carry the label (and noise) are classified perfectly; noise alone is not.
    rng = np.random.default_rng(0)
    signal = np.array([[1.0 if label == "pos" else -1.0] for label in labels])
    vectors = np.hstack([signal, rng.normal(size=(len(labels), 3))])
    result = evaluate_documents(vectors, labels, seed=5)
    assert result.accuracy == 1.0 and result.left_out == 50 and result.test == 30
    assert result.classes == {"neg": 75, "pos": 75}
    noise = evaluate_documents(rng.normal(size=(len(labels), 4)), labels, seed=5)
    assert noise.accuracy < 0.9 and noise.test == result.test
    with pytest.raises(BadInputError, match="199 labels for 200 documents"):
        evaluate_documents(vectors[:200], labels[:199])
    labels_file.write_text("id\tten\n", encoding="utf-8")
    with pytest.raises(BadInputError, match=r":1: label 'ten' is not a number"):
        read_labels(labels_file, label_column=2, classes="1-4:neg")


def test_a_label_column_is_named_label_column(tmp_path):
    """Not column: read_labels' parameter (and evaluate-docs' --label-column)."""
    labels_file = tmp_path / "ratings.tsv"
    labels_file.write_text("id\t1\nid\n", encoding="utf-8")
    with pytest.raises(BadInputError, match=r"label_column must be 1 or more") as error:
        read_labels(labels_file, label_column=0)
    assert error.value.parameters == ("label_column",)
    with pytest.raises(
        BadInputError, match=r":2: has 1 field\(s\) \(split at '\\t'\) but label_column 2 was"
    ) as error:
        read_labels(labels_file, label_column=2)
    assert error.value.parameters == ("label_column",)


def test_documents_that_show_nothing_still_answer(law_tokens, tmp_path):
    model = train_documents("lsa-doc", law_tokens, dim=4, min_count=2, show="none")
    loaded = koembed.load(model.save(tmp_path / "none"))
    assert loaded.arrays["doc_text"].shape == (0,) and loaded.document(5) == ""
    best = loaded.most_similar_documents("대통령", topn=2)
    assert len(best) == 2 and all(match.text == "" for match in best)
