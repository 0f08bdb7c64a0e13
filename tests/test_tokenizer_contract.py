"""One contract, run over every registered tokenizer that needs no fitting.

Each backend must tokenize real sentences into non-empty whitespace-free
tokens, keep the user words 가우스전자 and 서울대입구역 whole, rebuild from its
spec to identical output, and give the same file under 2 workers as under 1,
in order. Trainable backends are fitted first and have their own tests.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import koembed
from koembed import MissingDependencyError, create_tokenizer
from koembed import tokenize as tokenize_module
from koembed.jamo import compose
from koembed.registry import TOKENIZERS
from koembed.tokenizers import TextPipeline, tokenizer_from_spec
from koembed.userdict import parse_user_dict

USER_WORDS = parse_user_dict(["가우스전자", "서울대입구역\tNNP"], source="contract.tsv")
BACKENDS = TOKENIZERS.names()
SENTENCES = Path(__file__).resolve().parents[1] / "data" / "sentences.txt"


def ready(name: str, **kwargs):
    """The backend set up, or a skip naming why it cannot run here."""
    if getattr(TOKENIZERS.get(name), "trainable", False):
        pytest.skip(f"{name} is trainable: it is fitted on a corpus first (own tests)")
    try:
        return create_tokenizer(name, **kwargs).prepare()
    except MissingDependencyError as error:  # also Java missing for okt
        pytest.skip(str(error))


@pytest.fixture(scope="module")
def sentences() -> list[str]:
    return SENTENCES.read_text(encoding="utf-8").splitlines()


@pytest.mark.parametrize("name", BACKENDS)
def test_tokenizes_real_sentences_into_clean_tokens(name, sentences):
    tokenizer = ready(name)
    for sentence in sentences:
        tokens = tokenizer.tokenize(sentence)
        assert tokens, sentence
        assert all(token and not any(c.isspace() for c in token) for token in tokens), tokens
        assert tokenizer.tokenize(sentence) == tokens  # deterministic
    assert tokenizer.tokenize("") == []
    assert tokenizer.tokenize(" \t ") == []


@pytest.mark.parametrize("name", BACKENDS)
def test_user_words_stay_whole(name, sentences):
    tokenizer = ready(name, user_dict=USER_WORDS)
    for word, sentence in [("가우스전자", sentences[0]), ("서울대입구역", sentences[1])]:
        tokens = tokenizer.tokenize(sentence)
        # Whole = one token holds the word (the jamo backend's tokens compose back to it).
        assert any(word in compose(token) for token in tokens), (word, tokens)


@pytest.mark.parametrize("name", BACKENDS)
def test_rebuilt_from_its_spec_it_tokenizes_identically(name, sentences):
    tokenizer = ready(name, user_dict=USER_WORDS)
    spec = json.loads(json.dumps(tokenizer.spec(), ensure_ascii=False))
    rebuilt = tokenizer_from_spec(spec)
    assert rebuilt.spec() == tokenizer.spec()
    assert [rebuilt.tokenize(s) for s in sentences] == [tokenizer.tokenize(s) for s in sentences]


@pytest.mark.parametrize("name", BACKENDS)
def test_two_workers_write_what_one_does_in_order(name, sentences, tmp_path, monkeypatch):
    tokenizer = ready(name, user_dict=USER_WORDS)
    source = tmp_path / "in.txt"
    lines = sentences * 3
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Batches of 4 lines: 8 batches spread over both workers, so order matters.
    monkeypatch.setattr(tokenize_module, "BATCH_LINES", 4)
    one = koembed.tokenize_corpus(source, tmp_path / "one.txt", tokenizer=tokenizer, workers=1)
    two = koembed.tokenize_corpus(source, tmp_path / "two.txt", tokenizer=tokenizer, workers=2)
    assert two.path.read_bytes() == one.path.read_bytes()
    pipeline = TextPipeline(tokenizer)
    expected = [" ".join(pipeline(line)) for line in lines]
    assert one.path.read_text(encoding="utf-8").splitlines() == expected
    assert two.manifest["pipeline"]["tokenizer"] == tokenizer.spec()
