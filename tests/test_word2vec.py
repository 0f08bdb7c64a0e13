"""word2vec training: parameters checked first, real training on real text."""

from __future__ import annotations

import pytest

import koembed
from koembed import BadInputError, UnknownNameError


def test_trains_on_real_korean_text(law_model, law_tokens):
    assert law_model.dim == 32
    assert "국민" in law_model and "대통령" in law_model
    counts = dict(zip(law_model.words, law_model.counts))
    tokens = [t for line in law_tokens for t in line]
    assert counts["국민"] == tokens.count("국민")
    assert min(law_model.counts) >= 2  # min_count=2


def test_skipgram_separates_related_from_unrelated_words(law_tokens):
    model = koembed.train("word2vec", law_tokens, dim=50, min_count=3, epochs=30, workers=1, seed=7)
    # In the constitution and bills, 대통령 (president) keeps company with
    # 국무총리 (prime minister) far more than with 근로 (labour).
    assert model.similarity("대통령", "국무총리") > model.similarity("대통령", "근로")


def test_in_memory_sentences_and_one_shot_generators():
    sentences = [["희망", "을", "가지", "다"], ["절망", "을", "이기", "다"]] * 20
    model = koembed.train("word2vec", sentences, dim=8, min_count=1, epochs=2, workers=1)
    assert set(model.words) == {"희망", "을", "가지", "다", "절망", "이기"}
    with pytest.raises(BadInputError, match="one-shot iterator"):
        koembed.train("word2vec", (s for s in sentences), min_count=1)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"dim": 0}, r"dim\(0\) must be >= 1"),
        ({"window": -1}, r"window\(-1\) must be >= 1"),
        ({"min_count": 0}, r"min_count\(0\) must be >= 1"),
        ({"epochs": 10**9}, r"epochs\(1000000000\) must be <= 10000"),
        ({"dim": "big"}, "dim='big' must be a int"),
        ({"negative": 0}, "negative=0 without hs"),
        ({"colour": "blue"}, "word2vec has no parameter 'colour'"),
    ],
)
def test_parameters_are_validated_before_any_work(params, message, tmp_path):
    missing_corpus = tmp_path / "does-not-exist"
    with pytest.raises(BadInputError, match=message):
        koembed.train("word2vec", missing_corpus, **params)


def test_min_count_above_every_word(law_tokens):
    with pytest.raises(BadInputError, match="occurs 1000000 times or more"):
        koembed.train("word2vec", law_tokens, min_count=1_000_000)


def test_unknown_method_lists_the_valid_ones(law_tokens):
    with pytest.raises(UnknownNameError, match=r"valid training methods: .*word2vec"):
        koembed.train("word3vec", law_tokens)
