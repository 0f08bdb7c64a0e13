"""fastText: same result as gensim, subword vectors for unseen words, jamo mode.

Trained on kolaw + kobill (mecab) with one worker, so gensim is deterministic
and koembed's model can be compared with gensim's bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

import koembed
from koembed.cli import app
from koembed.errors import BadInputError
from koembed.models.subword import SubwordEmbeddings
from koembed.text.jamo import EMPTY_FINAL, INITIALS, MEDIALS, decompose

SMALL = dict(dim=24, min_count=2, epochs=3, negative=5, workers=1, bucket=20_000, seed=3)
# Not in the law corpora's vocabulary (checked in the tests).
UNSEEN = ["희망찬", "대한민국헌법", "국민의", "코엠베드", "x"]


def gensim_fasttext(path, **overrides):
    from gensim.models import FastText
    from gensim.models.word2vec import LineSentence

    settings = {**SMALL, **overrides}
    model = FastText(
        vector_size=settings["dim"],
        min_count=settings["min_count"],
        epochs=settings["epochs"],
        negative=settings["negative"],
        workers=1,
        bucket=settings["bucket"],
        seed=settings["seed"],
        sg=1,
        min_n=settings.get("min_n", 3),
        max_n=settings.get("max_n", 6),
    )
    # The input path koembed uses for a single thread (see koembed.engines.gensim).
    sentences = LineSentence(str(path))
    model.build_vocab(corpus_iterable=sentences)
    model.train(
        corpus_iterable=sentences,
        total_words=model.corpus_total_words,
        total_examples=model.corpus_count,
        epochs=model.epochs,
    )
    return model


@pytest.fixture(scope="module")
def ft_model(law_tokens):
    return koembed.train("fasttext", law_tokens, **SMALL)


@pytest.fixture(scope="module")
def jamo_model(law_tokens):
    return koembed.train("fasttext", law_tokens, jamo=True, **SMALL)


def test_same_vectors_and_oov_vectors_as_gensim(ft_model, law_tokens, tmp_path):
    reference = gensim_fasttext(law_tokens.path)
    assert ft_model.words == reference.wv.index_to_key
    assert np.array_equal(ft_model.vectors, reference.wv.vectors)
    saved = koembed.load(ft_model.save(tmp_path / "ft"))
    assert isinstance(saved, SubwordEmbeddings)
    assert isinstance(saved.ngrams, np.memmap)  # loaded memory-mapped, no pickle
    for word in UNSEEN:
        assert word not in ft_model
        expected = reference.wv[word]
        assert np.array_equal(ft_model.vector(word), expected), word
        assert np.array_equal(saved.vector(word), expected), word


def test_save_load_most_similar(ft_model, tmp_path):
    saved = koembed.load(ft_model.save(tmp_path / "ft"))
    assert saved.meta["subword"] == {"min_n": 3, "max_n": 6, "bucket": 20_000, "jamo": False}
    assert saved.meta["files"]["ngrams"] == "ngrams.npy"
    assert saved.words == ft_model.words
    assert saved.most_similar("국민", topn=5) == ft_model.most_similar("국민", topn=5)


def test_unseen_word_is_marked_as_subword(ft_model):
    neighbours, resolved = ft_model.most_similar_resolved("희망찬", topn=5)
    assert len(neighbours) == 5
    assert resolved[0].subword == ["희망찬"]
    assert resolved[0].found == ["희망찬"]
    assert "희망찬" not in [word for word, _ in neighbours]
    # A vocabulary word is not marked.
    assert ft_model.resolve("국민").subword == []


def test_no_ngrams_means_no_oov_vector(law_tokens):
    model = koembed.train("fasttext", law_tokens, **{**SMALL, "max_n": 0})
    assert model.meta["subword"]["bucket"] == 0
    with pytest.raises(koembed.UnknownWordError):
        model.vector("코엠베드")
    assert model.most_similar("국민", topn=3)


def test_jamo_model_speaks_syllables(jamo_model, ft_model):
    # Same tokens, so the same vocabulary once composed back into syllables.
    assert set(jamo_model.words) == set(ft_model.words)
    assert jamo_model.meta["subword"]["jamo"] is True
    neighbours, resolved = jamo_model.most_similar_resolved("희망찬", topn=10)
    assert resolved[0].subword == ["희망찬"]
    jamo_letters = set(INITIALS + MEDIALS + EMPTY_FINAL)
    for word, _ in neighbours + [(w, 0) for w in jamo_model.words]:
        assert not jamo_letters.intersection(word), word


def test_jamo_oov_vector_equals_gensim_on_jamo_tokens(jamo_model, law_tokens, tmp_path):
    jamo_corpus = tmp_path / "law.jamo"
    jamo_corpus.write_text(decompose(law_tokens.path.read_text(encoding="utf-8")), "utf-8")
    reference = gensim_fasttext(jamo_corpus)
    saved = koembed.load(jamo_model.save(tmp_path / "ftj"))
    for word in ["희망찬", "코엠베드"]:
        assert np.array_equal(saved.vector(word), reference.wv[decompose(word)]), word
    assert np.array_equal(saved.vector("국민"), reference.wv[decompose("국민")])


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"min_n": 4, "max_n": 3}, "max_n(3) must be >= min_n(4)"),
        ({"dim": 0}, "dim(0) must be >= 1"),
        ({"bucket": 0}, "bucket(0) must be >= 1"),
        ({"negative": 0}, "negative=0 without hs"),
        ({"jamo": "yes"}, "jamo='yes' must be a bool"),
        ({"minn": 2}, "fasttext has no parameter 'minn'"),
    ],
)
def test_params_checked_before_any_work(params, message, tmp_path):
    # The corpus does not exist: the parameter error must come first.
    with pytest.raises(BadInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        koembed.train("fasttext", tmp_path / "missing.tokens", **params)


def test_cli_round_trip(law_tokens, tmp_path):
    runner = CliRunner()
    out = tmp_path / "ftj"
    args = ["train", "fasttext", str(law_tokens.path), "-o", str(out), "--jamo"]
    args += ["--dim", "16", "--min-count", "2", "--epochs", "2", "-w", "1", "--bucket", "5000"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "fasttext" in result.stderr
    result = runner.invoke(app, ["similar", "희망찬", "-m", str(out), "-n", "3"])
    assert result.exit_code == 0, result.output
    assert "희망찬 is not in the vocabulary; its vector comes from character n-grams" in (
        result.stderr
    )
    assert EMPTY_FINAL not in result.stdout
    result = runner.invoke(app, [*args[:6], "--minn", "5", "--maxn", "3"])
    assert result.exit_code == 1
    assert result.stderr.strip() == "error: --maxn(3) must be >= --minn(5), or 0 for no n-grams"


# -- export as Facebook's .bin -------------------------------------------------------


def export_bin(model, output):
    """``koembed export --format fasttext`` of ``model``, saved beside ``output``."""
    saved = model.save(output.with_suffix(""))
    return CliRunner().invoke(
        app, ["export", "-m", str(saved), "-f", "fasttext", "-o", str(output)]
    )


def test_exported_bin_gives_gensim_koembeds_vectors(ft_model, tmp_path):
    from gensim.models.fasttext import load_facebook_model

    result = export_bin(ft_model, tmp_path / "ft.bin")
    assert result.exit_code == 0, result.output
    assert f"{len(ft_model):,} words x 24 dims (fasttext)" in result.stderr
    loaded = load_facebook_model(str(tmp_path / "ft.bin"))
    assert loaded.wv.index_to_key == ft_model.words
    assert (loaded.wv.min_n, loaded.wv.max_n, loaded.wv.bucket) == (3, 6, 20_000)
    for word in UNSEEN:
        assert word not in ft_model and word not in loaded.wv.key_to_index
        np.testing.assert_allclose(loaded.wv[word], ft_model[word], rtol=1e-6, atol=1e-7)
    # Vocabulary words too: their own rows are rebuilt from the averaged vectors.
    for word in ft_model.words[:50]:
        np.testing.assert_allclose(loaded.wv[word], ft_model[word], rtol=1e-5, atol=1e-6)


def test_exported_jamo_bin_holds_the_decomposed_vocabulary(jamo_model, tmp_path):
    from gensim.models.fasttext import load_facebook_model

    result = export_bin(jamo_model, tmp_path / "jamo.bin")
    assert result.exit_code == 0, result.output
    assert "decompose queries the same way" in " ".join(result.stderr.split())
    loaded = load_facebook_model(str(tmp_path / "jamo.bin"))
    assert loaded.wv.index_to_key == [decompose(word) for word in jamo_model.words]
    for word in UNSEEN:
        np.testing.assert_allclose(
            loaded.wv[decompose(word)], jamo_model[word], rtol=1e-6, atol=1e-7
        )


def test_only_a_whole_subword_model_exports_as_bin(ft_model, law_model, tmp_path):
    from koembed.evaluate.export import export

    with pytest.raises(BadInputError, match=r"needs a model with character n-grams.*word2vec"):
        export(law_model, tmp_path / "w2v.bin", format="fasttext")
    with pytest.raises(BadInputError, match=r"holds the whole model.*leave out top$"):
        export(ft_model, tmp_path / "ft.bin", format="fasttext", top=10)
    assert list(tmp_path.iterdir()) == []
    saved = ft_model.save(tmp_path / "ft")
    result = CliRunner().invoke(
        app, ["export", "-m", str(saved), "-f", "fasttext", "--top", "5", "-o", str(tmp_path / "x")]
    )
    assert result.exit_code == 1 and result.stderr.strip().endswith("leave out --top")


def test_evaluate_gets_unseen_words_from_ngrams_as_the_queries_do(ft_model, tmp_path):
    """Every command takes a word's vector the same way: evaluate scored 희망찬 as
    missing while similarity answered it from its n-grams."""
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("국민,국가,8\n희망찬,국민,3\n대통령,국회,6\n법률,헌법,7\n", encoding="utf-8")
    result = ft_model.evaluate_word_pairs(pairs)
    assert (result.found, result.total, result.found_subword) == (4, 4, 1)
    assert result.oov_words == []
    cosine = koembed.similarity(ft_model, "희망찬", "국민")
    word_only = koembed.Embeddings(ft_model.words, ft_model.vectors)
    plain = word_only.evaluate_word_pairs(pairs)
    assert (plain.found, plain.found_subword, plain.oov_words) == (3, 0, ["희망찬"])
    assert -1 <= cosine <= 1
    analogies = tmp_path / "analogy.txt"
    analogies.write_text(": sem\n국민 국가 대통령 희망찬\n국민 국가 법률 헌법\n", encoding="utf-8")
    scored = ft_model.evaluate_word_analogies(analogies)
    assert scored.overall.found == 2 and scored.overall.found_subword == 1


def test_cli_evaluate_says_how_many_pairs_came_from_ngrams(ft_model, tmp_path):
    model = ft_model.save(tmp_path / "ft")
    pairs = tmp_path / "pairs.csv"
    pairs.write_text("국민,국가,8\n희망찬,국민,3\n대통령,국회,6\n법률,헌법,7\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["evaluate", "--model", str(model), "--ws353", str(pairs)])
    assert result.exit_code == 0, result.output
    assert "4/4 (100.0%), n-grams 1" in result.stdout


def test_buckets_are_fitted_to_the_vocabulary_unless_given(law_tokens, ft_model):
    """fastText's 2,000,000 buckets wrote an 800 MB ngrams.npy for any corpus."""
    from koembed.trainers.fasttext import fitted_buckets

    model = koembed.train("fasttext", law_tokens, **{**SMALL, "bucket": None})
    expected = fitted_buckets(model.words, 3, 6)
    assert model.meta["subword"]["bucket"] == expected == model.arrays["ngrams"].shape[0]
    assert 0 < expected < 100_000
    assert ft_model.meta["subword"]["bucket"] == SMALL["bucket"]  # given: kept
    # Unseen words still get their vectors from the fitted buckets, as gensim would.
    assert model.vector("대한민국헌법").shape == (SMALL["dim"],)


def test_the_saved_line_says_the_size_on_disk(law_tokens, tmp_path):
    out = tmp_path / "ft"
    argv = ["train", "fasttext", str(law_tokens.path), "-o", str(out), "--min-count", "2"]
    result = CliRunner().invoke(app, [*argv, "--dim", "8", "--epochs", "1", "--workers", "1"])
    assert result.exit_code == 0, result.output
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    line = next(line for line in result.stderr.splitlines() if line.startswith("saved"))
    assert line.endswith(f"; {size / 1024:,.1f} KB on disk")
