"""Normalizers: tables per function, idempotence on arbitrary text, the chain."""

from __future__ import annotations

import re
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import koembed
from koembed import MissingDependencyError, UnknownNameError
from koembed.text import normalize as normalize_module
from koembed.text.normalize import (
    ADDRESS,
    compose,
    emoticon,
    hangul,
    hangul_digits,
    nfc,
    parse_chain,
    repeat,
    spacing,
    url,
)

TABLES = {
    repeat: [
        ("ㅋㅋㅋㅋㅋ", "ㅋㅋ"),
        ("와아아아아", "와아아"),
        ("좋아요!!!!!", "좋아요!!"),
        ("ㅋㅋ", "ㅋㅋ"),
        ("1000000원", "1000000원"),  # digits are kept
        ("aaabbbccc", "aabbcc"),
        # Addresses are left alone (a newcomer saw www.naver.com become ww.naver.com).
        ("www.naver.com", "www.naver.com"),
        ("ㅋㅋㅋ https://wwww.x.kr/aaa 와아아아", "ㅋㅋ https://wwww.x.kr/aaa 와아아"),
        ("메일은 aaa@bbb.co.kr!!!!", "메일은 aaa@bbb.co.kr!!"),
        ("", ""),
    ],
    emoticon: [
        ("ㅋㅋㅋㅋㅋ", "ㅋㅋ"),
        ("재밌다ㅎㅎㅎㅎ", "재밌다ㅎㅎ"),
        ("ㅋ 하나", "ㅋ 하나"),  # a lone jamo stays
        ("ㅠㅠㅠㅠ ㅜㅜ ㅠㅜㅠ", "ㅠㅠ ㅠㅠ ㅠㅠ"),
        ("T_T ㅜ.ㅜ ㅠ_ㅠ", "ㅠㅠ ㅠㅠ ㅠㅠ"),
        ("ㅋㅋㅋ쿠ㅜㅜ", "ㅋㅋㅠㅠ"),  # 쿠 typed into the crying run
        ("휴ㅠㅠ", "ㅎㅠㅠ"),
        ("-_- ㅡ.ㅡ ㅡㅡㅡ", "ㅡㅡ ㅡㅡ ㅡㅡ"),
        ("^^ ^^^^ ^_^ ^-^ ^o^", "^^ ^^ ^^ ^^ ^^"),
        ("헐;;;; ㄷㄷㄷ", "헐;; ㄷㄷ"),
        ("쿠키 휴가 T 2^3", "쿠키 휴가 T 2^3"),  # not emoticons
        ("", ""),
    ],
    hangul: [
        ("영화 good! 최고ㅋㅋ", "영화 최고ㅋㅋ"),
        ("10점 만점에 9점", "점 만점에 점"),
        ("  한국어\t처리  ", "한국어 처리"),
        ("漢字 한자", "한자"),
        ("abc 123", ""),
    ],
    hangul_digits: [
        ("10점 만점에 9.5점!", "10점 만점에 9 5점"),
        ("영화 good! 최고ㅋㅋ", "영화 최고ㅋㅋ"),
        ("２０점", "점"),  # only ASCII digits
    ],
    url: [
        ("자세히는 https://x.kr/a?b=1 참고", "자세히는   참고"),
        ("http://naver.com에서 봤다", " 에서 봤다"),
        ("www.daum.net 접속", "  접속"),
        ("문의 abc.def+1@naver.com으로", "문의  으로"),
        ("ftp://files.kr/x.zip", " "),
        ("이메일@없음 naver.com", "이메일@없음 naver.com"),
        ("", ""),
    ],
    nfc: [
        ("\u1112\u1161\u11ab", "한"),
        ("한", "한"),
    ],
}
CASES = [(function, text, expected) for function, rows in TABLES.items() for text, expected in rows]


@pytest.mark.parametrize(
    ("function", "text", "expected"), CASES, ids=[f"{f.__name__}-{t}" for f, t, _ in CASES]
)
def test_normalizer_table(function, text, expected):
    assert function(text) == expected


HANGUL = "\uac00-\ud7a3\u3131-\u318e\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff"
PURE = [nfc, repeat, emoticon, hangul, hangul_digits, url]
# Arbitrary Unicode, plus text dense in the characters the rules look at.
TEXT = st.one_of(
    st.text(),
    st.text(alphabet="ㅋㅎㅠㅜㅡㄷT_.-^;~o 쿠큐후휴가a1", max_size=40),
    st.text(alphabet="htpsfw:/.@-_+%aZ9 가에", max_size=60),
)


@pytest.mark.parametrize("function", PURE, ids=lambda f: f.__name__)
@settings(max_examples=300, deadline=None)
@given(text=TEXT)
def test_normalizing_twice_changes_nothing(function, text):
    once = function(text)
    assert function(once) == once


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_what_each_normalizer_leaves(text):
    # Outside addresses, which repeat leaves alone, no character runs three times.
    for part in ADDRESS.split(repeat(text)):
        assert not re.search(r"(\D)\1\1", part)
    for function, extra in [(hangul, ""), (hangul_digits, "0-9")]:
        kept = function(text)
        assert kept == kept.strip() and "  " not in kept
        assert re.fullmatch(f"[{HANGUL}{extra} ]*", kept)
    assert not re.search(r"https?://|www\.", url(text), re.IGNORECASE)


def test_spacing_uses_kiwi():
    pytest.importorskip("kiwipiepy", reason="spacing needs koembed[kiwi]")
    assert spacing("아버지가방에들어가신다") == "아버지가 방에 들어가신다"
    assert spacing("이 영화정말재밌다") == "이 영화 정말 재밌다"
    assert spacing("") == ""


def test_spacing_without_kiwipiepy_names_the_extra(monkeypatch):
    monkeypatch.setattr(normalize_module, "_spacer", None)
    monkeypatch.setitem(sys.modules, "kiwipiepy", None)  # import now fails as if absent
    with pytest.raises(MissingDependencyError, match=r"pip install 'koembed\[kiwi\]'"):
        spacing("아버지가방에들어가신다")
    # ...and a chain naming it is refused when parsed, before any work starts.
    with pytest.raises(MissingDependencyError, match=r"the spacing normalizer needs .*kiwipiepy"):
        parse_chain("nfc,spacing")


def test_chains_are_parsed_by_name_and_unknown_names_listed():
    assert parse_chain("nfc, url,emoticon,repeat") == ("nfc", "url", "emoticon", "repeat")
    assert compose(["url", "emoticon", "hangul"])("ㅋㅋㅋㅋ https://a.kr 좋다^^") == "ㅋㅋ 좋다"
    with pytest.raises(
        UnknownNameError, match="valid normalizers: emoticon, hangul, hangul_digits"
    ):
        parse_chain("nfc,emoticons")


def test_the_chain_is_recorded_and_applied_to_queries(tmp_path, sentences_path):
    source = tmp_path / "in.txt"
    source.write_text("영화 최고ㅋㅋㅋㅋ https://movie.kr\n", encoding="utf-8")
    chain = "nfc,url,emoticon,repeat"
    result = koembed.tokenize_corpus(
        koembed.read_corpus(source, normalize=chain), tmp_path / "out.txt", tokenizer="whitespace"
    )
    assert result.manifest["pipeline"]["normalizer"] == chain.split(",")
    assert result.path.read_text(encoding="utf-8") == "영화 최고ㅋㅋ\n"
    assert koembed.open_tokenized(result.path).pipeline()("최고ㅋㅋㅋ www.x.kr") == ["최고ㅋㅋ"]
