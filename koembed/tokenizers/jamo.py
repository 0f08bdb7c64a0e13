"""Jamo tokens: whitespace-separated words, each decomposed into jamo.

``희망을 가지다`` -> ``ㅎㅢᴥㅁㅏㅇㅇㅡㄹ ㄱㅏᴥㅈㅣᴥㄷㅏᴥ`` (``ᴥ`` marks an empty final
consonant; :func:`koembed.text.jamo.compose` turns the tokens back). To decompose
the output of another tokenizer instead (mecab morphemes, say), keep that
tokenizer and pass ``jamo=True`` to the pipeline (``koembed tokenize --jamo``).
"""

from __future__ import annotations

from koembed.text.jamo import decompose
from koembed.tokenizers.base import Tokenizer


class JamoTokenizer(Tokenizer):
    """Split on whitespace, then decompose each word's syllables into jamo.

    User words need no translation: a word without a space is never split.
    """

    name = "jamo"
    defaults: dict = {}

    def _setup(self) -> None:
        pass

    def _tokenize(self, text: str) -> list[str]:
        return [decompose(word) for word in text.split()]
