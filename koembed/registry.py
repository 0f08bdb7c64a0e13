"""Name -> implementation, imported on first use.

Each registry maps a public name to ``"module:attribute"``. Nothing is imported
until a name is looked up, so an optional dependency is only needed when its
backend is used.
"""

from __future__ import annotations

import importlib
from typing import Any

from koembed.errors import UnknownNameError


class Registry:
    """A lazily importing table of named implementations."""

    def __init__(self, kind: str, entries: dict[str, str]):
        self.kind = kind
        self._entries = dict(entries)

    def names(self) -> list[str]:
        return sorted(self._entries)

    def __contains__(self, name: object) -> bool:
        return name in self._entries

    def register(self, name: str, target: str) -> None:
        """Add ``name`` -> ``"module:attribute"`` (for plugins and tests)."""
        self._entries[name] = target

    def unregister(self, name: str) -> None:
        """Remove ``name``, registered earlier (a plugin unloaded, a test done)."""
        del self._entries[name]

    def get(self, name: str) -> Any:
        """Return the implementation for ``name``.

        Raises:
            UnknownNameError: ``name`` is not registered; lists the valid names.
        """
        try:
            target = self._entries[name]
        except KeyError:
            raise UnknownNameError(self.kind, name, self._entries) from None
        module_name, _, attribute = target.partition(":")
        return getattr(importlib.import_module(module_name), attribute)


TOKENIZERS = Registry(
    "tokenizer",
    {
        "bpe": "koembed.tokenizers.hf:BPETokenizer",
        "jamo": "koembed.tokenizers.jamo:JamoTokenizer",
        "kiwi": "koembed.tokenizers.kiwi:KiwiTokenizer",
        "mecab": "koembed.tokenizers.mecab:MecabTokenizer",
        "okt": "koembed.tokenizers.okt:OktTokenizer",
        "sentencepiece": "koembed.tokenizers.sentencepiece:SentencePieceTokenizer",
        "soynlp": "koembed.tokenizers.soynlp:SoynlpTokenizer",
        "whitespace": "koembed.tokenizers.whitespace:WhitespaceTokenizer",
        "wordpiece": "koembed.tokenizers.hf:WordPieceTokenizer",
    },
)

TRAINERS = Registry(
    "training method",
    {
        "word2vec": "koembed.trainers.word2vec:Word2VecTrainer",
        "glove": "koembed.trainers.glove:GloVeTrainer",
        "ppmi": "koembed.trainers.ppmi:PPMITrainer",
        "fasttext": "koembed.trainers.fasttext:FastTextTrainer",
        "lsa": "koembed.trainers.lsa:LsaTrainer",
    },
)

# Where tokenizing, counting and distributed training run (koembed.engines).
ENGINES = Registry(
    "engine",
    {
        "local": "koembed.engines.local:LocalEngine",
        "spark": "koembed.engines.spark:SparkEngine",
    },
)

# Kinds of saved model (``kind`` in koembed.json) -> the class that reads one back.
MODEL_KINDS = Registry(
    "model kind",
    {
        "words": "koembed.models.embeddings:Embeddings",
        "subword": "koembed.models.subword:SubwordEmbeddings",
        "doc2vec": "koembed.documents.doc2vec:Doc2VecModel",
        "lsa-doc": "koembed.documents.lsa:LsaDocModel",
        "sif": "koembed.documents.sif:SifModel",
    },
)

# Methods giving one vector per document, whose models also embed new text
# (koembed.documents). Apart from TRAINERS, which give word vectors only.
DOCUMENT_TRAINERS = Registry(
    "document method",
    {
        "doc2vec": "koembed.documents.doc2vec:Doc2VecTrainer",
        "lsa-doc": "koembed.documents.lsa:LsaDocTrainer",
        "sif": "koembed.documents.sif:SifTrainer",
    },
)
