"""The kiwi backend: real kiwipiepy with its bundled model."""

from __future__ import annotations

import pytest

from koembed import BadInputError, create_tokenizer
from koembed.text.userdict import parse_user_dict
from koembed.tokenizers import tokenizer_from_spec

pytest.importorskip("kiwipiepy", reason="the kiwi backend needs koembed[kiwi]")

USER_WORDS = parse_user_dict(["가우스전자", "서울대입구역\tNNP"], source="test.tsv")

CASES = [
    ("희망을 잃지 않았다", {}, None, ["희망", "을", "잃", "지", "않", "었", "다"]),
    (
        "가우스전자가 신제품을 냈다",
        {},
        None,
        ["가우스", "전자", "가", "신", "제품", "을", "내", "었", "다"],
    ),
    (
        "가우스전자가 신제품을 냈다",
        {},
        USER_WORDS,
        ["가우스전자", "가", "신", "제품", "을", "내", "었", "다"],
    ),
    ("서울대입구역에서 만나자", {}, USER_WORDS, ["서울대입구역", "에서", "만나", "자"]),
    ("희망을 가지다", {"pos": True}, None, ["희망/NNG", "을/JKO", "가지/VV", "다/EF"]),
    ("희망과 절망 사이에서", {"keep_pos": "NNG,NNP"}, None, ["희망", "절망", "사이"]),
    # An irregular verb is tagged VV-I; keep_pos VV keeps it.
    ("걸어서 갔다", {"keep_pos": ["VV"]}, None, ["걷", "가"]),
    ("걸어서 갔다", {"keep_pos": "VV", "pos": True}, None, ["걷/VV-I", "가/VV"]),
    ("했닼ㅋㅋ", {}, None, ["하", "었", "다", "ᆿ", "ㅋㅋ"]),
    ("했닼ㅋㅋ", {"normalize_coda": True}, None, ["하", "었", "다", "ㅋㅋㅋ"]),
    ("고마움을 느꼈다", {}, None, ["고마움", "을", "느끼", "었", "다"]),
    ("고마움을 느꼈다", {"split_complex": True}, None, ["고맙", "음", "을", "느끼", "었", "다"]),
    ("ㅋㅋ 최고 ABC 123", {}, None, ["ㅋㅋ", "최고", "ABC", "123"]),
    ("a\u3000b\t한국\u00a0어", {}, None, ["a", "b", "한국", "어"]),
    ("", {}, None, []),
    ("   ", {}, None, []),
]


@pytest.mark.parametrize(("text", "options", "user_dict", "expected"), CASES)
def test_kiwi_tokens(text, options, user_dict, expected):
    tokenizer = create_tokenizer("kiwi", user_dict=user_dict, **options)
    assert tokenizer.tokenize(text) == expected


def test_a_user_score_is_kiwis_preference_and_travels_in_the_spec():
    # Kiwi knows 서울대입구역; a user word inside it wins only with a score.
    sentence = "서울대입구역에서"
    plain = parse_user_dict(["대입구\tNNP"], source="plain.tsv")
    scored = parse_user_dict(["대입구\tNNP\t10"], source="scored.tsv")
    assert create_tokenizer("kiwi", user_dict=plain).tokenize(sentence) == ["서울대입구역", "에서"]
    tokenizer = create_tokenizer("kiwi", user_dict=scored)
    assert tokenizer.tokenize(sentence) == ["서울", "대입구", "역", "에서"]
    assert tokenizer_from_spec(tokenizer.spec()).tokenize(sentence) == tokenizer.tokenize(sentence)


def test_an_entry_kiwi_cannot_take_is_refused_before_any_work():
    words = parse_user_dict(["가우스전자\tNNBC"], source="bad.tsv")
    with pytest.raises(BadInputError, match=r"bad\.tsv: Kiwi cannot take POS of 가우스전자/NNBC"):
        create_tokenizer("kiwi", user_dict=words)


def test_bad_options_are_refused_with_the_valid_ones():
    with pytest.raises(
        BadInputError,
        match="no option 'stem'; its options: keep_pos, normalize_coda, pos, split_complex",
    ):
        create_tokenizer("kiwi", stem=True)
    with pytest.raises(BadInputError, match=r"NOUN not Kiwi tags; Kiwi tags: .*NNG"):
        create_tokenizer("kiwi", keep_pos="NNG,NOUN")
    with pytest.raises(BadInputError, match="keep_pos is empty"):
        create_tokenizer("kiwi", keep_pos=" , ")


def test_cli_pos_and_keep_pos(tmp_path, sentences_path):
    from typer.testing import CliRunner

    from koembed.cli import app

    out = tmp_path / "s.kiwi"
    args = ["tokenize", str(sentences_path), "-o", str(out), "-t", "kiwi"]
    result = CliRunner().invoke(app, [*args, "--pos", "--keep-pos", "NNG,NNP"])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[3].split() == ["희망/NNG", "끝/NNG", "최선/NNG"]
    assert all(
        token.rsplit("/", 1)[1] in {"NNG", "NNP"} for line in lines for token in line.split()
    )
