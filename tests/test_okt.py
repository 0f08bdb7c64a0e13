"""The okt backend: konlpy's Okt on a real JVM."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

import pytest

from koembed import BadInputError, MissingDependencyError, create_tokenizer
from koembed.text.userdict import parse_user_dict


@pytest.fixture(scope="module", autouse=True)
def _java():
    from koembed.tokenizers.okt import find_jvm

    try:
        find_jvm()
    except MissingDependencyError as error:
        pytest.skip(str(error))


# Words from the contract test's user dictionary are left out: Okt's
# dictionary is process-wide, so they may already be in it.
CASES = [
    ("희망을 잃지 않았다", {}, ["희망", "을", "잃지", "않았다"]),
    ("희망과 절망 사이에서", {}, ["희망", "과", "절망", "사이", "에서"]),
    ("이것도 되나욬ㅋㅋ", {}, ["이", "것", "도", "되나욬", "ㅋㅋ"]),
    ("이것도 되나욬ㅋㅋ", {"norm": True}, ["이", "것", "도", "되나요", "ㅋㅋ"]),
    ("이것도 되나욬ㅋㅋ", {"norm": True, "stem": True}, ["이", "것", "도", "되다", "ㅋㅋ"]),
    ("희망을 가졌다", {"stem": True}, ["희망", "을", "가지다"]),
    ("희망을 잃지 않았다", {"pos": True}, ["희망/Noun", "을/Josa", "잃지/Verb", "않았다/Verb"]),
    ("희망과 절망 사이에서", {"keep_pos": "Noun"}, ["희망", "절망", "사이"]),
    (
        "이것도 되나욬ㅋㅋ",
        {"keep_pos": ["Noun", "Verb"], "pos": True, "norm": True},
        ["것/Noun", "되나요/Verb"],
    ),
    ("10점 만점에 9점", {}, ["10", "점", "만점", "에", "9", "점"]),
    # Okt returns tab, no-break and ideographic spaces as tokens unless told.
    ("a\u3000b\t한국\u00a0어", {}, ["a", "b", "한국", "어"]),
    ("", {}, []),
    ("   ", {}, []),
]


@pytest.mark.parametrize(("text", "options", "expected"), CASES)
def test_okt_tokens(text, options, expected):
    assert create_tokenizer("okt", **options).tokenize(text) == expected


def test_a_user_noun_is_one_token_only_with_the_dictionary():
    # A word no other test adds, tokenized without it first: Okt's
    # dictionary only ever grows, and it is shared by the process.
    sentence = "코임베드연구소에서 일한다"
    plain = create_tokenizer("okt").tokenize(sentence)
    assert "코임베드연구소" not in plain
    words = parse_user_dict(["코임베드연구소\tNNP"], source="okt.tsv")
    assert create_tokenizer("okt", user_dict=words).tokenize(sentence)[:2] == [
        "코임베드연구소",
        "에서",
    ]


def test_entries_okt_cannot_take_are_kept_whole_by_cutting_around_them(caplog):
    words = parse_user_dict(["오케이티명사\tNNG", "달려보다\tVV", "빨갛다\tVA"], source="mixed.tsv")
    tokenizer = create_tokenizer("okt", user_dict=words)
    with caplog.at_level(logging.INFO, logger="koembed"):
        tokenizer.prepare()
    said = [r.getMessage() for r in caplog.records if "nouns only" in r.getMessage()]
    assert said == [
        "user dictionary mixed.tsv: Okt takes nouns only; kept whole by cutting the text "
        "around them: 달려보다/VV, 빨갛다/VA"
    ]
    assert tokenizer.tokenize("오케이티명사가") == ["오케이티명사", "가"]
    assert create_tokenizer("okt").tokenize("빨갛다고 했다")[0] == "빨갛다고"
    assert tokenizer.tokenize("빨갛다고 했다")[:2] == ["빨갛다", "고"]
    tagged = create_tokenizer("okt", user_dict=words, pos=True).tokenize("달려보다가")
    assert tagged[0] == "달려보다/Verb"


def test_bad_options_are_refused_with_the_valid_ones():
    with pytest.raises(
        BadInputError, match="no option 'stemm'; its options: keep_pos, norm, pos, stem"
    ):
        create_tokenizer("okt", stemm=True)
    with pytest.raises(BadInputError, match="option stem='yes' should be a bool"):
        create_tokenizer("okt", stem="yes")
    with pytest.raises(BadInputError, match=r"NNG not Okt tags \(Okt's tags are coarse: Noun for"):
        create_tokenizer("okt", keep_pos="NNG")


@pytest.mark.skipif(sys.platform != "linux", reason="hides Java from JPype's Linux finder")
def test_missing_java_is_one_line_naming_the_fix(tmp_path, sentences_path):
    # JAVA_HOME points nowhere, and the finder's other places (the java on
    # the system, /usr/lib/jvm...) are pointed nowhere too.
    script = (
        "import sys, jpype._jvmfinder as finder\n"
        "finder.LinuxJVMFinder._java = '/nonexistent/bin/java'\n"
        "finder.LinuxJVMFinder._locations = ('/nonexistent',)\n"
        "from koembed.cli import main\n"
        "sys.argv = ['koembed'] + sys.argv[1:]\n"
        "main()\n"
    )
    env = {**os.environ, "JAVA_HOME": str(tmp_path / "no-java-here")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            script,
            "tokenize",
            str(sentences_path),
            "-o",
            str(tmp_path / "out.okt"),
            "-t",
            "okt",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: the okt tokenizer needs Java (JDK 8 or newer)")
    assert "no-java-here holds no JVM" in lines[0] and "apt-get install" in lines[0]
    assert not (tmp_path / "out.okt").exists()


def test_cli_pos_keep_pos_and_an_option_a_backend_lacks(tmp_path, sentences_path):
    from typer.testing import CliRunner

    from koembed.cli import app

    out = tmp_path / "s.okt"
    args = ["tokenize", str(sentences_path), "-o", str(out)]
    result = CliRunner().invoke(app, [*args, "-t", "okt", "--pos", "--keep-pos", "Noun"])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[3].split() == ["희망/Noun", "끝/Noun", "최선/Noun"]
    result = CliRunner().invoke(app, [*args, "--overwrite", "-t", "okt", "--stem", "--norm"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").splitlines()[1].split()[-3:] == ["만나다", "하다", "."]
    result = CliRunner().invoke(app, [*args, "--overwrite", "-t", "whitespace", "--pos"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "error: tokenizer whitespace has no option 'pos'; its options: none"
    )


def test_the_jvm_and_okt_are_set_up_once_per_process():
    import jpype

    from koembed.tokenizers import okt

    first = create_tokenizer("okt").prepare()
    second = create_tokenizer("okt", stem=True, pos=True).prepare()
    assert jpype.isJVMStarted()
    assert first._interface is second._interface is okt._interface
