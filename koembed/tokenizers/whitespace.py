"""Split on whitespace: the baseline, and the tokenizer of pre-tokenized text."""

from __future__ import annotations

from koembed.tokenizers.base import Tokenizer


class WhitespaceTokenizer(Tokenizer):
    """``"희망 을 가지다"`` -> ``["희망", "을", "가지다"]``.

    User words need no translation: a whitespace tokenizer never splits a
    word that has no space in it.
    """

    name = "whitespace"
    defaults: dict = {}

    def _setup(self) -> None:
        pass

    def _tokenize(self, text: str) -> list[str]:
        return text.split()
