"""Closest spellings by jamo edit distance."""

from __future__ import annotations

import pytest

from koembed.models.spelling import SpellingIndex, jamo_distance, levenshtein


@pytest.mark.parametrize(
    ("first", "second", "distance"),
    [
        ("", "", 0),
        ("abc", "abc", 0),
        ("kitten", "sitting", 3),
        ("abc", "", 3),
    ],
)
def test_levenshtein(first, second, distance):
    assert levenshtein(first, second) == distance
    assert levenshtein(second, first) == distance


@pytest.mark.parametrize(
    ("first", "second", "distance"),
    [
        ("희망", "휘망", 1),  # one vowel: a whole syllable apart, one jamo apart
        ("대통령", "대퉁령", 1),
        ("값", "갑", 1),  # ㅄ vs ㅂ
        ("가", "각", 1),  # a final consonant added
        ("영화", "영화", 0),
        ("영화", "드라마", 6),  # ㅇㅕㅇㅎㅘ vs ㄷㅡㄹㅏㅁㅏ: nothing lines up
    ],
)
def test_jamo_distance(first, second, distance):
    assert jamo_distance(first, second) == distance


VOCAB = ["영화", "드라마", "대통령", "배우", "감독", "희망", "갑", "값", "각", "재미", "재밌다"]


@pytest.mark.parametrize(
    ("typo", "best"),
    [
        ("휘망", "희망"),
        ("대퉁령", "대통령"),
        ("영하", "영화"),
        ("갚", "갑"),  # one syllable: shares no syllable with its target
        ("배우들", "배우"),
    ],
)
def test_closest_spelling_first(typo, best):
    assert SpellingIndex(VOCAB).closest(typo, n=3)[0] == best


def test_closest_excludes_the_word_and_far_words():
    index = SpellingIndex(VOCAB)
    assert "영화" not in index.closest("영화")
    assert index.closest("컴퓨터") == []
    assert index.closest("") == []


def test_ties_go_to_the_more_frequent_word():
    # 갑 and 각 are both one jamo from 가; 갑 comes first in the vocabulary.
    assert SpellingIndex(["갑", "각"]).closest("가", n=2) == ["갑", "각"]
    assert SpellingIndex(["각", "갑"]).closest("가", n=2) == ["각", "갑"]
