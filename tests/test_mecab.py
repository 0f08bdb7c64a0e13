"""The mecab backend: real python-mecab-ko with its bundled dictionary."""

from __future__ import annotations

import pytest

from koembed import BadInputError, UnknownNameError, create_tokenizer
from koembed.text.userdict import parse_user_dict
from koembed.tokenizers import tokenizer_from_spec

USER_WORDS = parse_user_dict(["가우스전자", "서울대입구역\tNNP"], source="test.tsv")

CASES = [
    ("희망을 잃지 않았다", {}, None, ["희망", "을", "잃", "지", "않", "았", "다"]),
    (
        "가우스전자가 신제품을 냈다",
        {},
        None,
        ["가우스", "전자", "가", "신", "제품", "을", "냈", "다"],
    ),
    (
        "가우스전자가 신제품을 냈다",
        {},
        USER_WORDS,
        ["가우스전자", "가", "신", "제품", "을", "냈", "다"],
    ),
    ("서울대입구역에서 만나자", {}, USER_WORDS, ["서울대입구역", "에서", "만나", "자"]),
    ("희망을 가지다", {"pos": True}, None, ["희망/NNG", "을/JKO", "가지/VV", "다/EC"]),
    ("희망과 절망 사이에서", {"keep_pos": "NNG,NNP"}, None, ["희망", "절망", "사이"]),
    ("ㅋㅋ 최고 ABC 123", {}, None, ["ㅋㅋ", "최고", "ABC", "123"]),
    ("", {}, None, []),
    ("   ", {}, None, []),
]


@pytest.mark.parametrize(("text", "options", "user_dict", "expected"), CASES)
def test_mecab_tokens(text, options, user_dict, expected):
    tokenizer = create_tokenizer("mecab", user_dict=user_dict, **options)
    assert tokenizer.tokenize(text) == expected


def test_user_dictionary_file_and_spec_round_trip(example_user_dict):
    tokenizer = create_tokenizer("mecab", user_dict=str(example_user_dict))
    rebuilt = tokenizer_from_spec(tokenizer.spec())
    sentence = "가우스전자가 딥러닝 워드임베딩을 연구한다"
    assert tokenizer.tokenize(sentence)[:1] == ["가우스전자"]
    assert rebuilt.tokenize(sentence) == tokenizer.tokenize(sentence)
    assert tokenizer.spec()["user_dict_sha256"] == rebuilt.spec()["user_dict_sha256"]


def test_compiled_dictionary_is_cached_by_content():
    from koembed.tokenizers.mecab import compile_user_dict

    first = compile_user_dict(USER_WORDS)
    second = compile_user_dict(parse_user_dict(["# same words", "가우스전자", "서울대입구역"]))
    other = compile_user_dict(parse_user_dict(["가우스전자"]))
    assert first == second != other
    assert first.exists() and other.exists()


def test_pos_the_mecab_dictionary_does_not_know_is_refused():
    words = parse_user_dict(["가우스전자\tXYZ"], source="bad.tsv")
    with pytest.raises(BadInputError, match=r"bad\.tsv: mecab cannot take POS of 가우스전자/XYZ"):
        create_tokenizer("mecab", user_dict=words)


def test_unknown_options_and_names_list_the_valid_ones():
    with pytest.raises(BadInputError, match="has no option 'stem'; its options: keep_pos, pos"):
        create_tokenizer("mecab", stem=True)
    with pytest.raises(UnknownNameError, match=r"valid tokenizers: .*mecab.*whitespace"):
        create_tokenizer("mecabb")
    with pytest.raises(BadInputError, match="not mecab-ko tags"):
        create_tokenizer("mecab", keep_pos="NOUN")
