"""Komoran, Kkma and Hannanum: konlpy's other Java analyzers on a real JVM,
and the user words every backend keeps whole by cutting the text around them."""

from __future__ import annotations

import pytest

from koembed import BadInputError, MissingDependencyError, create_tokenizer
from koembed.text.userdict import parse_user_dict
from koembed.tokenizers.protect import UserWordCutter

SENTENCE = "대한민국은 민주공화국이다."
USER_WORDS = parse_user_dict(["코엠베드연구소", "달려보다\tVV"], source="words.tsv")


@pytest.fixture(scope="module", autouse=True)
def _java():
    from koembed.tokenizers.jvm import find_jvm

    try:
        find_jvm()
    except MissingDependencyError as error:
        pytest.skip(str(error))


@pytest.mark.parametrize(
    ("name", "options", "expected"),
    [
        ("komoran", {}, ["대한민국", "은", "민주공화국", "이", "다", "."]),
        (
            "komoran",
            {"pos": True},
            ["대한민국/NNP", "은/JX", "민주공화국/NNP", "이/VCP", "다/EF", "./SF"],
        ),
        ("komoran", {"keep_pos": "NNP"}, ["대한민국", "민주공화국"]),
        ("kkma", {}, ["대한민국", "은", "민주", "공화국", "이", "다", "."]),
        ("kkma", {"keep_pos": "NNG"}, ["대한민국", "민주", "공화국"]),
        ("hannanum", {}, ["대한민국", "은", "민주공화국", "이", "다", "."]),
        ("hannanum", {"pos": True}, ["대한민국/N", "은/J", "민주공화국/N", "이/J", "다/E", "./S"]),
        ("hannanum", {"ntags": 22, "keep_pos": "NC"}, ["대한민국", "민주공화국"]),
    ],
)
def test_analyses_a_sentence(name, options, expected):
    assert create_tokenizer(name, **options).tokenize(SENTENCE) == expected


@pytest.mark.parametrize("name", ["komoran", "kkma", "hannanum"])
def test_symbols_spaces_and_empty_lines(name):
    tokenizer = create_tokenizer(name)
    assert tokenizer.tokenize("") == [] and tokenizer.tokenize(" \t ") == []
    tokens = tokenizer.tokenize("1+1=2 a/b  ㅋㅋ\t최고")
    assert "최고" in tokens and all(token and " " not in token for token in tokens)


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("komoran", {"keep_pos": "Noun"}, "keep_pos: Noun not Komoran tags; Komoran tags: EC EF"),
        ("kkma", {"keep_pos": "NNG,XYZ"}, "keep_pos: XYZ not Kkma tags"),
        ("hannanum", {"keep_pos": "NC"}, r"NC not Hannanum \(9 tags\) tags \(ntags=22 has the"),
        ("hannanum", {"ntags": 10}, "ntags 10 is not one of 9, 22"),
        ("kkma", {"stem": True}, "tokenizer kkma has no option 'stem'; its options: keep_pos, pos"),
    ],
)
def test_bad_options_are_refused(name, options, message):
    with pytest.raises(BadInputError, match=message):
        create_tokenizer(name, **options)


def test_komoran_takes_user_words_into_its_own_dictionary():
    sentence = "코엠베드연구소에서 일한다"
    assert "코엠베드연구소" not in create_tokenizer("komoran").tokenize(sentence)
    tokenizer = create_tokenizer("komoran", user_dict=USER_WORDS, pos=True)
    assert tokenizer._cutter is None or tokenizer.protected_words() == []
    assert tokenizer.tokenize(sentence)[:2] == ["코엠베드연구소/NNP", "에서/JKB"]


def test_komoran_refuses_a_pos_outside_the_sejong_tags():
    words = parse_user_dict(["코엠베드\tNOUN"], source="bad.tsv")
    with pytest.raises(BadInputError, match="Komoran cannot take POS of 코엠베드/NOUN"):
        create_tokenizer("komoran", user_dict=words)


@pytest.mark.parametrize("name", ["kkma", "hannanum"])
def test_without_a_dictionary_of_their_own_user_words_are_cut_around(name):
    sentence = "코엠베드연구소에서 한번 달려보다가 멈췄다"
    plain = create_tokenizer(name).tokenize(sentence)
    assert "달려보다" not in plain
    tokens = create_tokenizer(name, user_dict=USER_WORDS).tokenize(sentence)
    assert tokens[0] == "코엠베드연구소"
    assert "달려보다" in tokens and tokens[-1] != "달려보다"  # the rest is still analysed
    assert "멈췄다" not in tokens and tokens[-2:] == plain[-2:]


def test_protected_words_carry_the_backends_tag_and_follow_keep_pos():
    kkma = create_tokenizer("kkma", user_dict=USER_WORDS, pos=True)
    assert kkma.tokenize("코엠베드연구소")[0] == "코엠베드연구소/NNP"
    hannanum = create_tokenizer("hannanum", user_dict=USER_WORDS, pos=True)
    assert hannanum.tokenize("코엠베드연구소에서")[0] == "코엠베드연구소/N"
    fine = create_tokenizer("hannanum", user_dict=USER_WORDS, pos=True, ntags=22)
    assert fine.tokenize("달려보다")[0] == "달려보다/PV"
    nouns = create_tokenizer("kkma", user_dict=USER_WORDS, keep_pos="NNG,NNP")
    assert nouns.tokenize("코엠베드연구소가 달려보다")[:1] == ["코엠베드연구소"]
    assert "달려보다" not in nouns.tokenize("코엠베드연구소가 달려보다")


def test_the_cutter_takes_the_leftmost_longest_user_word():
    words = parse_user_dict(["가우스", "가우스전자", "전자", "역"], source="cut.tsv")
    cutter = UserWordCutter(words.entries, "test")
    pieces = cutter.cut("가우스전자에서 전자역")
    shown = [p if isinstance(p, str) else f"<{p.word}>" for p in pieces]
    assert shown == ["<가우스전자>", "에서 ", "<전자>", "<역>"]
    assert cutter.cut("사용자 단어 없음") == ["사용자 단어 없음"]
    assert UserWordCutter([], "test").cut("아무 말") == ["아무 말"]


def test_one_jvm_serves_every_java_analyzer_in_a_process():
    okt = create_tokenizer("okt").tokenize(SENTENCE)
    komoran = create_tokenizer("komoran").tokenize(SENTENCE)
    hannanum = create_tokenizer("hannanum").tokenize(SENTENCE)
    assert okt[0] == komoran[0] == hannanum[0] == "대한민국"


def test_hannanum_answers_for_an_eojeol_too_long_for_it():
    # Hannanum itself gives nothing (an index error inside, printed by konlpy's
    # interface) for some long unspaced texts, such as run-on reviews.
    part = (
        "그러니까이영화는(감독이름)정말최고의작품이라고생각하는데(배우이름)연기가너무좋았고"
        "음악도2번째로좋았고(음악감독)화면도예뻤고(촬영감독)모든것이완벽했던영화였다고말할수"
        "있다정말로(맞는말)하루에약을33알씩먹어야하는것처럼"
    )
    tokenizer = create_tokenizer("hannanum").prepare()
    assert not str(tokenizer._analyze(part * 2) or "").strip()  # the failure is real
    tokens = tokenizer.tokenize(f"시작 {part * 2} 끝")
    assert tokens[0] == "시작" and tokens[-1] == "끝"
    assert "".join(tokens[1:-1]) == "".join((part * 2).split())


@pytest.mark.parametrize("name", ["okt", "komoran", "kkma", "hannanum"])
def test_emoji_and_other_characters_beyond_the_bmp_come_back_whole(name):
    # Two UTF-16 units in Java: Komoran and Kkma cut between them, which
    # failed to decode before they were swapped for stand-ins.
    tokens = create_tokenizer(name).tokenize("영화 최고😀👍 𐀀 좋아요")
    assert "".join(tokens).count("😀") == 1 and "𐀀" in "".join(tokens)
    assert all(t[0] < "\ue000" or t[0] > "\uf8ff" for t in tokens)
