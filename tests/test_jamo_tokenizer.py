"""Jamo tokens: the jamo backend, and --jamo after any other tokenizer."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import koembed
from koembed import create_tokenizer
from koembed.cli import app
from koembed.text.jamo import compose, decompose
from koembed.text.userdict import parse_user_dict
from koembed.tokenizers import TextPipeline

CASES = [
    ("희망을 가지다", ["ㅎㅢᴥㅁㅏㅇㅇㅡㄹ", "ㄱㅏᴥㅈㅣᴥㄷㅏᴥ"]),
    ("닭 값", ["ㄷㅏㄺ", "ㄱㅏㅄ"]),
    ("ㅋㅋ ABC 123 영화!", ["ㅋㅋ", "ABC", "123", "ㅇㅕㅇㅎㅘᴥ!"]),
    ("", []),
    ("  \t ", []),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_jamo_backend_tokens_and_they_compose_back(text, expected):
    tokens = create_tokenizer("jamo").tokenize(text)
    assert tokens == expected
    assert [compose(token) for token in tokens] == text.split()


def test_jamo_after_mecab_decomposes_each_morpheme_and_round_trips_its_spec():
    words = parse_user_dict(["가우스전자"], source="t.tsv")
    pipeline = TextPipeline(create_tokenizer("mecab", user_dict=words), jamo=True)
    assert pipeline("가우스전자가 희망을") == [
        "ㄱㅏᴥㅇㅜᴥㅅㅡᴥㅈㅓㄴㅈㅏᴥ",
        "ㄱㅏᴥ",
        "ㅎㅢᴥㅁㅏㅇ",
        "ㅇㅡㄹ",
    ]
    spec = pipeline.spec()
    assert spec["jamo"] is True
    assert TextPipeline.from_spec(spec)("희망을") == ["ㅎㅢᴥㅁㅏㅇ", "ㅇㅡㄹ"]
    # A spec written before the option existed means no decomposition.
    del spec["jamo"]
    assert TextPipeline.from_spec(spec)("희망을") == ["희망", "을"]


@pytest.mark.parametrize("workers", [1, 2])
def test_tokenize_corpus_records_jamo_so_queries_are_decomposed(tmp_path, sentences_path, workers):
    result = koembed.tokenize_corpus(
        sentences_path, tmp_path / "s.jamo", tokenizer="mecab", jamo=True, workers=workers
    )
    assert result.manifest["pipeline"]["jamo"] is True
    first = result.path.read_text(encoding="utf-8").splitlines()[0].split()
    mecab = create_tokenizer("mecab").tokenize(sentences_path.read_text("utf-8").splitlines()[0])
    assert first == [decompose(token) for token in mecab]
    reopened = koembed.open_tokenized(result.path)
    assert reopened.pipeline()("희망을") == ["ㅎㅢᴥㅁㅏㅇ", "ㅇㅡㄹ"]


def test_cli_jamo_flag(tmp_path, sentences_path):
    out = tmp_path / "s.jamo"
    result = CliRunner().invoke(
        app, ["tokenize", str(sentences_path), "-o", str(out), "-t", "whitespace", "--jamo"]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[4].split() == [
        decompose(word) for word in "절망 속에서도 우리는 내일을 꿈꾼다.".split()
    ]
