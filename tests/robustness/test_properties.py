"""Arbitrary Unicode through every normalizer and every tokenizer backend.

Normalizers: no exception, and normalizing twice changes nothing more.
Tokenizers: no exception, and every token is non-empty and holds no
whitespace of any kind, so the space-separated corpus reads back as written.
The text mixes any code point with the ones Korean web text is made of
(syllables, conjoining and compatibility jamo, emoticons, URLs, odd spaces
and control characters). Example counts stay small for the slow backends;
trainable ones are fitted once, on kolaw.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import koembed
from koembed import MissingDependencyError, create_tokenizer
from koembed.registry import TOKENIZERS
from koembed.text.normalize import NORMALIZERS
from koembed.tokenizers.base import MAX_PIECE_CHARS, clean_text, pieces

_korean = st.one_of(
    st.characters(min_codepoint=0xAC00, max_codepoint=0xD7A3),  # syllables
    st.characters(min_codepoint=0x1100, max_codepoint=0x11FF),  # conjoining jamo
    st.characters(min_codepoint=0x3131, max_codepoint=0x318E),  # compatibility jamo
    st.sampled_from(
        list("ㅋㅠㅜㅡ^;_-.~oOT!?.,1234567890 \t\u3000\xa0\u200b\ufeff\x00\x1b\x85\u2028")
    ),
    st.sampled_from(["http://", "www.", ".com", "https://a.kr/x?y=1", "a@b.kr", "ㅋㅋㅋ", "ㅠㅠ"]),
    st.sampled_from(["^^", "ㅜ.ㅜ", "쿠ㅜ", "T_T", "ᄒ", "ᅡ", "ᆫ", "\udcff", "😀", "\u0301"]),
)
TEXT = st.one_of(st.text(max_size=200), st.lists(_korean, max_size=60).map("".join))
# Inputs that broke something once, tried on every run: a lone surrogate
# (Kiwi raised), a NUL (mecab dropped the rest), NEL (mecab made it a token).
KNOWN = ["가가\udcff", "대한민국은\x00 민주공화국이다", "국민\x85의", "\ufeff\u200b", ""]


def _known(test):
    for text in KNOWN:
        test = example(text)(test)
    return test


# Kiwi and Okt take milliseconds a call (Okt through the JVM).
SLOW = {"spacing": 30, "kiwi": 60, "okt": 40}
FIT_OPTIONS = {"sentencepiece": {"vocab_size": 1000}, "bpe": {"vocab_size": 1000}}
FIT_OPTIONS["wordpiece"] = FIT_OPTIONS["bpe"]


def _settings(name: str, default: int):
    return settings(
        max_examples=SLOW.get(name, default),
        deadline=None,
        database=None,  # nothing written into the working folder
        suppress_health_check=[HealthCheck.too_slow],
    )


@pytest.mark.parametrize("name", sorted(NORMALIZERS))
def test_normalizer_takes_any_text(name):
    normalize = NORMALIZERS[name]
    try:
        normalize("확인")
    except MissingDependencyError as error:
        pytest.skip(str(error))

    @_settings(name, 300)
    @given(TEXT)
    @_known
    def check(text):
        once = normalize(text)
        assert isinstance(once, str)
        if name != "spacing":
            assert normalize(once) == once
        # Kiwi's spacing is a statistical model and is not idempotent: a second
        # pass changed 10 of 3,000 NSMC reviews ('수가 없 엉' -> '수가 없엉'). The
        # corpus and the queries go through it exactly once, so they still agree.

    check()


_tokenizers: dict = {}


def _tokenizer(name: str):
    if name not in _tokenizers:
        try:
            tokenizer = create_tokenizer(name, **FIT_OPTIONS.get(name, {}))
            if tokenizer.trainable:
                tokenizer.fit(list(koembed.read_corpus("kolaw")))
            _tokenizers[name] = tokenizer.prepare()
        except MissingDependencyError as error:
            pytest.skip(str(error))
    return _tokenizers[name]


@pytest.mark.parametrize("name", TOKENIZERS.names())
def test_tokenizer_takes_any_text(name):
    tokenizer = _tokenizer(name)

    @_settings(name, 200)
    @given(TEXT)
    @_known
    def check(text):
        tokens = tokenizer.tokenize(text)
        assert all(token and token.split() == [token] for token in tokens), tokens

    check()


@settings(max_examples=300, deadline=None, database=None)
@given(TEXT, st.integers(min_value=1, max_value=50))
def test_pieces_cover_the_text_within_the_limit(text, limit):
    cut = pieces(text, limit)
    assert "".join(cut) == text
    assert all(len(piece) <= limit for piece in cut)


@settings(max_examples=300, deadline=None, database=None)
@given(TEXT)
def test_clean_text_leaves_plain_spaces_only(text):
    cleaned = clean_text(text)
    assert clean_text(cleaned) == cleaned
    assert all(char == " " or not char.isspace() for char in cleaned)
    assert not any(char < " " or "\x7f" <= char <= "\x9f" for char in cleaned)
    cleaned.encode("utf-8")  # no lone surrogate left


def test_a_long_line_reaches_mecab_in_pieces_with_the_same_tokens():
    tokenizer = create_tokenizer("mecab").prepare()
    seen = []
    backend = tokenizer._tokenize

    def record(text: str) -> list[str]:
        seen.append(len(text))
        return backend(text)

    tokenizer._tokenize = record
    sentence = "대한민국은 민주공화국이다. 모든 권력은 국민으로부터 나온다. "
    line = sentence * (3 * MAX_PIECE_CHARS // len(sentence))
    tokens = tokenizer.tokenize(line)
    assert len(seen) >= 3 and max(seen) <= MAX_PIECE_CHARS
    # Cut at spaces, so the pieces give the tokens the whole line gives.
    assert tokens == backend(line)
