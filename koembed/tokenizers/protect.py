"""User words kept whole by any backend: the text is cut around them.

A backend with no native way to take a user word (Kkma, Hannanum; Okt for
anything but nouns) still honours the one user dictionary: the words are
found in each line by leftmost-longest match (an Aho-Corasick automaton),
passed through as single tokens, and only the text between them reaches the
analyzer. ``가우스전자에서`` with the user word 가우스전자 becomes
``가우스전자`` + the analysis of ``에서``.
"""

from __future__ import annotations

from collections.abc import Iterable

from koembed.errors import MissingDependencyError
from koembed.text.userdict import UserWord


class UserWordCutter:
    """Cuts a line into the user words it holds and the text between them."""

    def __init__(self, entries: Iterable[UserWord], backend: str):
        try:
            import ahocorasick
        except ImportError:
            raise MissingDependencyError(
                "pyahocorasick", backend, f"user words with the {backend} tokenizer"
            ) from None
        self.automaton = ahocorasick.Automaton()
        for entry in entries:
            self.automaton.add_word(entry.word, entry)
        self.empty = len(self.automaton) == 0
        if not self.empty:
            self.automaton.make_automaton()

    def cut(self, text: str) -> list[str | UserWord]:
        """``text`` as pieces in order: plain text (``str``, maybe with spaces
        around) and the user words found in it (their :class:`UserWord`)."""
        if self.empty:
            return [text]
        pieces: list[str | UserWord] = []
        start = 0
        for end, entry in self.automaton.iter_long(text):
            begin = end + 1 - len(entry.word)
            if begin > start:
                pieces.append(text[start:begin])
            pieces.append(entry)
            start = end + 1
        if start < len(text):
            pieces.append(text[start:])
        return pieces
