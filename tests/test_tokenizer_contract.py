"""One contract, run over every registered tokenizer.

Each backend must tokenize real sentences into non-empty whitespace-free
tokens, keep the user words 가우스전자 and 서울대입구역 whole, rebuild from its
spec to identical output, and give the same file under 2 workers as under 1,
in order. Trainable backends are first fitted on konlpy's kolaw + kobill and
the test sentences, and saved, as `koembed tokenize` does.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest

import koembed
from koembed import MissingDependencyError, create_tokenizer
from koembed.engines import pool
from koembed.registry import TOKENIZERS
from koembed.text.jamo import compose
from koembed.text.userdict import parse_user_dict
from koembed.tokenizers import TextPipeline, tokenizer_from_spec

USER_WORDS = parse_user_dict(["가우스전자", "서울대입구역\tNNP"], source="contract.tsv")
BACKENDS = TOKENIZERS.names()
SENTENCES = Path(__file__).resolve().parents[1] / "data" / "sentences.txt"


# Small vocabularies: the fitting corpus is only a few thousand lines.
FIT_OPTIONS = {
    "sentencepiece": {"vocab_size": 2000},
    "bpe": {"vocab_size": 2000},
    "wordpiece": {"vocab_size": 2000},
}
_fitted: dict = {}


def ready(name: str, **kwargs):
    """The backend set up (fitted and saved if trainable), or a skip naming why not."""
    try:
        if not getattr(TOKENIZERS.get(name), "trainable", False):
            return create_tokenizer(name, **kwargs).prepare()
        key = (name, bool(kwargs))
        if key not in _fitted:
            tokenizer = create_tokenizer(name, **FIT_OPTIONS.get(name, {}), **kwargs)
            lines = [*koembed.read_corpus(["kolaw", "kobill"]), *koembed.read_corpus(SENTENCES)]
            tokenizer.fit(lines)
            folder = Path(tempfile.mkdtemp(prefix=f"contract-{name}-")) / "tokenizer"
            tokenizer.save(folder)
            _fitted[key] = (tokenizer.prepare(), folder)
        return _fitted[key][0]
    except MissingDependencyError as error:  # also Java missing for okt
        pytest.skip(str(error))


def saved_spec(name: str, tokenizer) -> dict:
    """The spec a manifest records: for a trained backend, with its saved folder."""
    spec = tokenizer.spec()
    for (fitted_name, _), (fitted, folder) in _fitted.items():
        if fitted_name == name and fitted is tokenizer:
            spec["model"] = str(folder)
    return spec


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
    spec = json.loads(json.dumps(saved_spec(name, tokenizer), ensure_ascii=False))
    rebuilt = tokenizer_from_spec(spec)
    assert {k: v for k, v in rebuilt.spec().items() if k != "model"} == tokenizer.spec()
    assert [rebuilt.tokenize(s) for s in sentences] == [tokenizer.tokenize(s) for s in sentences]


@pytest.mark.parametrize("name", BACKENDS)
def test_two_workers_write_what_one_does_in_order(name, sentences, tmp_path, monkeypatch):
    tokenizer = ready(name, user_dict=USER_WORDS)
    source = tmp_path / "in.txt"
    lines = sentences * 3
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # Batches of 4 lines: 8 batches spread over both workers, so order matters.
    monkeypatch.setattr(pool, "BATCH_LINES", 4)
    one = koembed.tokenize_corpus(source, tmp_path / "one.txt", tokenizer=tokenizer, workers=1)
    two = koembed.tokenize_corpus(source, tmp_path / "two.txt", tokenizer=tokenizer, workers=2)
    assert two.path.read_bytes() == one.path.read_bytes()
    pipeline = TextPipeline(tokenizer)
    expected = [" ".join(pipeline(line)) for line in lines]
    assert one.path.read_text(encoding="utf-8").splitlines() == expected
    recorded = dict(two.manifest["pipeline"]["tokenizer"])
    recorded.pop("model", None)  # a trained tokenizer's saved folder
    assert recorded == tokenizer.spec()
