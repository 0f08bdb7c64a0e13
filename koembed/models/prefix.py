"""Vocabulary words that begin like a query, for autocompletion, Hangul-aware.

A Korean query box sees text while it is being typed: 희ㅁ and 희마 are both
on the way to 희망, and people also type initial consonants alone (ㅎㅁ for
희망, as Korean search boxes accept). So words are matched by the jamo they
are spelled with (희마 = ㅎㅢㅁㅏ begins ㅎㅢㅁㅏㅇ = 희망), and a query of
consonants only is matched against each word's initial consonants as well.

Both keys are sorted once per vocabulary; a query is two binary searches and
the most frequent words of the range between them.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections.abc import Sequence

from koembed.text.jamo import EMPTY_FINAL, INITIALS, decompose, is_syllable

# After every character a key can hold: the end of a prefix's range.
_BEYOND = "\U0010ffff"
_INITIAL_SET = frozenset(INITIALS)


def jamo_key(text: str) -> str:
    """``text`` spelled in jamo, with no marker for a missing final (희마 -> ㅎㅢㅁㅏ)."""
    return decompose(text).replace(EMPTY_FINAL, "")


def initials_key(text: str) -> str:
    """Each syllable's initial consonant; other characters as they are (희망 -> ㅎㅁ)."""
    return "".join(decompose(char)[0] if is_syllable(char) else char for char in text)


def is_initials(text: str) -> bool:
    """Whether ``text`` is initial consonants only (ㅎㅁ), as typed for a search by them."""
    return bool(text) and all(char in _INITIAL_SET for char in text)


class PrefixIndex:
    """Find vocabulary words that begin like a query; build once, ask many times.

    Args:
        words: the vocabulary, most frequent first (matches are given in that order).
    """

    def __init__(self, words: Sequence[str]):
        self.words = words
        self._by_jamo: tuple[list[str], list[int]] | None = None
        self._by_initials: tuple[list[str], list[int]] | None = None

    def complete(self, prefix: str, limit: int = 10) -> list[int]:
        """The rows of up to ``limit`` words beginning like ``prefix``, most frequent first."""
        if not prefix or limit < 1:
            return []
        rows = self._range(self._jamo_keys(), jamo_key(prefix))
        if is_initials(prefix):
            rows |= self._range(self._initials_keys(), prefix)
        return heapq.nsmallest(limit, rows)

    @staticmethod
    def _range(keys: tuple[list[str], list[int]], prefix: str) -> set[int]:
        sorted_keys, rows = keys
        start = bisect_left(sorted_keys, prefix)
        end = bisect_left(sorted_keys, prefix + _BEYOND, lo=start)
        return set(rows[start:end])

    def _jamo_keys(self) -> tuple[list[str], list[int]]:
        if self._by_jamo is None:
            self._by_jamo = _sorted_keys([jamo_key(word) for word in self.words])
        return self._by_jamo

    def _initials_keys(self) -> tuple[list[str], list[int]]:
        if self._by_initials is None:
            self._by_initials = _sorted_keys([initials_key(word) for word in self.words])
        return self._by_initials


def _sorted_keys(keys: list[str]) -> tuple[list[str], list[int]]:
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return [keys[row] for row in order], order
