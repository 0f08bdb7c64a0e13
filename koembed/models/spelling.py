"""Closest vocabulary spellings for an unknown word, by jamo edit distance.

A Korean typo usually changes one jamo (희망 -> 휘망), which changes the
whole syllable: compared syllable by syllable the two words share only half
their letters, compared jamo by jamo they are one edit apart. So candidates
are ranked by Levenshtein distance over :func:`koembed.text.jamo.decompose`.

Computing that distance against a 50K-word vocabulary in Python would take a
second, so candidates are first narrowed with an inverted index from
syllable to words (built once per vocabulary): words of similar length
sharing the most syllables with the query, plus, for one-syllable queries,
the other short words.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from koembed.text.jamo import EMPTY_FINAL, decompose

# How many prefiltered candidates get the exact jamo distance.
_SHORTLIST = 400


def jamo_distance(first: str, second: str) -> int:
    """Levenshtein distance between the jamo spellings of two words."""
    return levenshtein(_jamo(first), _jamo(second))


def levenshtein(first: str, second: str) -> int:
    """Edit distance (insert, delete, substitute; each costs 1)."""
    if len(first) < len(second):
        first, second = second, first
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i]
        for j, b in enumerate(second, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return previous[-1]


def _jamo(word: str) -> str:
    # The empty-final marker would count a missing batchim as a letter.
    return decompose(word).replace(EMPTY_FINAL, "")


class SpellingIndex:
    """Find vocabulary words spelled like a query; build once, ask many times.

    Args:
        words: the vocabulary, most frequent first (ties go to frequent words).
    """

    def __init__(self, words: Sequence[str]):
        self.words = words
        self._by_char: dict[str, list[int]] | None = None
        self._by_length: dict[int, list[int]] | None = None

    def _build(self) -> None:
        by_char: dict[str, list[int]] = {}
        by_length: dict[int, list[int]] = {}
        for row, word in enumerate(self.words):
            by_length.setdefault(len(word), []).append(row)
            for char in set(word):
                by_char.setdefault(char, []).append(row)
        self._by_char, self._by_length = by_char, by_length

    def closest(self, word: str, n: int = 5, max_distance: int | None = None) -> list[str]:
        """Up to ``n`` vocabulary words nearest to ``word`` in jamo edits.

        Args:
            word: the unknown word.
            n: how many spellings to return.
            max_distance: ignore words further than this many jamo edits
                (default: half the query's jamo, at least 2).
        """
        if not word or n < 1:
            return []
        if self._by_char is None:
            self._build()
        assert self._by_char is not None and self._by_length is not None
        length = len(word)
        shared: Counter[int] = Counter()
        for char in set(word):
            for row in self._by_char.get(char, ()):
                if abs(len(self.words[row]) - length) <= 2:
                    shared[row] += 1
        # Ties in shared syllables go to the lower row, i.e. the more frequent word.
        shortlist = [row for row, _ in sorted(shared.items(), key=lambda kv: (-kv[1], kv[0]))]
        shortlist = shortlist[:_SHORTLIST]
        if length <= 1:
            # A one-syllable typo shares no syllable with its target.
            for size in (1, 2):
                shortlist.extend(self._by_length.get(size, ())[: _SHORTLIST * 4])
        target = _jamo(word)
        limit = max_distance if max_distance is not None else max(2, len(target) // 2)
        scored = {}
        for row in shortlist:
            if row in scored:
                continue
            candidate = self.words[row]
            if candidate == word:
                continue
            distance = levenshtein(target, _jamo(candidate))
            if distance <= limit:
                scored[row] = distance
        best = sorted(scored, key=lambda row: (scored[row], row))
        return [self.words[row] for row in best[:n]]
