"""The one user-dictionary format: parsing, validation with line numbers."""

from __future__ import annotations

import pytest

from koembed import BadInputError, load_user_dict
from koembed.text.userdict import UserWord, parse_user_dict


def test_example_dictionary_parses(example_user_dict):
    words = load_user_dict(example_user_dict)
    assert words.entries[0] == UserWord("가우스전자", "NNP", None)
    assert UserWord("딥러닝", "NNG", None) in words.entries


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("가우스전자", UserWord("가우스전자", "NNP", None)),
        ("딥러닝\tNNG", UserWord("딥러닝", "NNG", None)),
        ("딥러닝\tNNG\t10", UserWord("딥러닝", "NNG", 10.0)),
        ("딥러닝\t\t2.5", UserWord("딥러닝", "NNP", 2.5)),
    ],
)
def test_entry_forms(line, expected):
    assert parse_user_dict([line]).entries == (expected,)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("가우스 전자", "contains a space"),
        ("가우스,전자", "contains a comma"),
        ("딥러닝\tnoun", "is not a tag"),
        ("딥러닝\tNNG\tmany", "is not a number"),
        ("딥러닝\tNNG\t1\textra", "4 tab-separated fields"),
        ("\tNNG", "the word is empty"),
    ],
)
def test_bad_lines_are_reported_with_their_line_number(line, message):
    with pytest.raises(BadInputError, match=rf"words\.tsv:3: .*{message}"):
        parse_user_dict(["# comment", "좋은단어", line], source="words.tsv")


def test_hash_ignores_comments_but_not_entries():
    a = parse_user_dict(["# one", "가우스전자"])
    b = parse_user_dict(["가우스전자", "# two"])
    c = parse_user_dict(["가우스전자\tNNG"])
    assert a.sha256 == b.sha256 != c.sha256


def test_missing_and_non_utf8_files(tmp_path):
    with pytest.raises(BadInputError, match="does not exist"):
        load_user_dict(tmp_path / "none.tsv")
    legacy = tmp_path / "legacy.tsv"
    legacy.write_bytes("가우스전자\n".encode("cp949"))
    with pytest.raises(BadInputError, match="not UTF-8"):
        load_user_dict(legacy)


def test_errors_survive_pickling_as_from_a_worker_process():
    import pickle

    from koembed import MissingDependencyError, OutputExistsError, UnknownNameError
    from koembed.models import UnknownWordError

    for error in (
        UnknownNameError("tokenizer", "x", ["mecab"]),
        MissingDependencyError("kiwipiepy", "kiwi", "the kiwi tokenizer"),
        OutputExistsError("out.txt"),
        UnknownWordError("희망찬", ["희망"], ["희망찬"]),
        BadInputError("a.txt:3: bad"),
    ):
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error)
