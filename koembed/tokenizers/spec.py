"""Rebuilding a tokenizer from its description, and the text pipeline around it.

``Tokenizer.spec()`` gives a JSON-able description (name, options, user
dictionary; a trained tokenizer's folder); ``tokenizer_from_spec`` rebuilds an
identical tokenizer from it, in a worker process or when a model answers a
query. :class:`TextPipeline` is normalizer + tokenizer (+ jamo), and its spec
is what manifests and model directories record.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from koembed.registry import TOKENIZERS
from koembed.text.jamo import decompose
from koembed.text.normalize import compose, parse_chain
from koembed.text.userdict import UserDictionary
from koembed.tokenizers.base import Tokenizer, create_tokenizer
from koembed.tokenizers.trained import tokenizer_from_model_spec


def tokenizer_from_spec(spec: dict, base_dir: str | os.PathLike | None = None) -> Tokenizer:
    """Rebuild a tokenizer from ``Tokenizer.spec()`` output.

    A trained tokenizer's spec carries ``model``, the folder of its saved
    artefact, relative to ``base_dir`` (the folder of the manifest or model
    directory holding the spec) unless absolute; the tokenizer is loaded from it.

    Raises:
        BadInputError: the artefact is missing or corrupt, or a trainable
            backend's spec names none.
    """
    if spec.get("model") is not None or TOKENIZERS.get(spec["name"]).trainable:
        return tokenizer_from_model_spec(spec, base_dir)
    return create_tokenizer(
        spec["name"],
        user_dict=UserDictionary.from_spec(spec.get("user_dict")),
        **spec.get("options", {}),
    )


class TextPipeline:
    """Normalizer chain + tokenizer (+ jamo decomposition): raw line -> tokens.

    The same pipeline tokenizes the corpus and, rebuilt from the spec stored
    in a model directory, the user's queries. ``jamo=True`` decomposes each
    token the backend produced into jamo (``희망`` -> ``ㅎㅢᴥㅁㅏㅇ``); it is a
    step after the backend rather than a backend option, so it works after
    any tokenizer and the backend sees (and its user dictionary matches) the
    composed text.
    """

    def __init__(
        self, tokenizer: Tokenizer, normalizer: Sequence[str] = ("nfc",), jamo: bool = False
    ):
        self.tokenizer = tokenizer
        self.normalizer = parse_chain(list(normalizer) or "none")
        self._normalize = compose(self.normalizer)
        self.jamo = bool(jamo)

    def __call__(self, text: str) -> list[str]:
        tokens = self.tokenizer.tokenize(self._normalize(text))
        # A token must be non-empty and hold no whitespace of any kind (U+3000,
        # U+2028, NBSP...), or the space-separated corpus would not read back
        # as written. One join + split per line is cheaper than checking tokens.
        tokens = " ".join(tokens).split()
        if self.jamo:
            return [decompose(token) for token in tokens]
        return tokens

    def spec(self) -> dict:
        return {
            "normalizer": list(self.normalizer),
            "tokenizer": self.tokenizer.spec(),
            "jamo": self.jamo,
        }

    @classmethod
    def from_spec(cls, spec: dict, base_dir: str | os.PathLike | None = None) -> TextPipeline:
        """Rebuild a pipeline; ``base_dir`` resolves a relative trained-tokenizer path."""
        return cls(
            tokenizer_from_spec(spec["tokenizer"], base_dir),
            spec.get("normalizer", ["nfc"]),
            jamo=spec.get("jamo", False),
        )
