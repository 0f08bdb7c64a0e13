"""Name -> implementation, imported on first use; plugins through entry points.

Each registry maps a public name to ``"module:attribute"``. Nothing is imported
until a name is looked up, so an optional dependency is only needed when its
backend is used.

Plugins. A registry with an entry-point ``group`` also offers what installed
packages declare in that group, as spaCy's registries do; a package adds a
tokenizer or a trainer by declaring, in its ``pyproject.toml``::

    [project.entry-points."koembed.trainers"]
    my-method = "my_package.trainer:MyTrainer"

    [project.entry-points."koembed.tokenizers"]
    my-tokenizer = "my_package.tokenizer:MyTokenizer"

The entry points are read the first time the registry is asked for its names
or for a name it does not have, and a plugin's module is imported when its
name is looked up. A built-in name is never replaced by a plugin's.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Iterator
from importlib.metadata import EntryPoint, entry_points
from typing import Any

from koembed.errors import PluginError, UnknownNameError

log = logging.getLogger(__name__)


class Registry:
    """A lazily importing table of named implementations."""

    def __init__(self, kind: str, entries: dict[str, str], group: str | None = None):
        self.kind = kind
        #: The entry-point group plugins declare their implementations in.
        self.group = group
        self._entries: dict[str, Any] = dict(entries)
        self._plugins: dict[str, EntryPoint] | None = None if group else {}

    def names(self) -> list[str]:
        """Every registered name, plugins included, sorted."""
        return sorted(self)

    def __iter__(self) -> Iterator[str]:
        """The names in the order they were registered, plugins last."""
        plugins = self._discover()
        return iter([*self._entries, *(name for name in plugins if name not in self._entries)])

    def __contains__(self, name: object) -> bool:
        return name in self._entries or name in self._discover()

    def register(self, name: str, target: Any) -> None:
        """Add ``name`` -> ``"module:attribute"``, or the implementation itself
        (for tests and for code that defines one at run time)."""
        self._entries[name] = target

    def unregister(self, name: str) -> None:
        """Remove a name added with :meth:`register` (nothing if it is not there)."""
        self._entries.pop(name, None)

    def get(self, name: str) -> Any:
        """Return the implementation for ``name``.

        Raises:
            UnknownNameError: ``name`` is not registered; lists the valid names.
            PluginError: ``name`` is a plugin whose entry point cannot be loaded.
        """
        if name in self._entries:
            target = self._entries[name]
            if not isinstance(target, str):
                return target
            module_name, _, attribute = target.partition(":")
            return getattr(importlib.import_module(module_name), attribute)
        plugin = self._discover().get(name)
        if plugin is None:
            raise UnknownNameError(self.kind, name, self.names())
        try:
            return plugin.load()
        except Exception as error:  # whatever a third party's import raises
            dist = getattr(plugin, "dist", None)
            package = f"{dist.name} {dist.version}" if dist else None
            problem = " ".join(f"{type(error).__name__}: {error}".split())
            entry_point = f"{self.group} = {plugin.value}"
            raise PluginError(name, entry_point, package, problem) from error

    def _discover(self) -> dict[str, EntryPoint]:
        """The plugins of ``group``, read once (only names; nothing is imported)."""
        if self._plugins is None:
            self._plugins = {}
            for plugin in entry_points(group=str(self.group)):
                if plugin.name in self._entries or plugin.name in self._plugins:
                    log.warning(
                        "%s plugin %r (%s) ignored: the name is taken",
                        self.kind,
                        plugin.name,
                        plugin.value,
                    )
                    continue
                self._plugins[plugin.name] = plugin
        return self._plugins


TOKENIZERS = Registry(
    "tokenizer",
    {
        "bpe": "koembed.tokenizers.hf:BPETokenizer",
        "hannanum": "koembed.tokenizers.hannanum:HannanumTokenizer",
        "jamo": "koembed.tokenizers.jamo:JamoTokenizer",
        "kiwi": "koembed.tokenizers.kiwi:KiwiTokenizer",
        "kkma": "koembed.tokenizers.kkma:KkmaTokenizer",
        "komoran": "koembed.tokenizers.komoran:KomoranTokenizer",
        "mecab": "koembed.tokenizers.mecab:MecabTokenizer",
        "okt": "koembed.tokenizers.okt:OktTokenizer",
        "sentencepiece": "koembed.tokenizers.sentencepiece:SentencePieceTokenizer",
        "soynlp": "koembed.tokenizers.soynlp:SoynlpTokenizer",
        "whitespace": "koembed.tokenizers.whitespace:WhitespaceTokenizer",
        "wordpiece": "koembed.tokenizers.hf:WordPieceTokenizer",
    },
    group="koembed.tokenizers",
)

# Every training method: word vectors, and (trainers of koembed.documents)
# document vectors whose models also embed new text.
TRAINERS = Registry(
    "training method",
    {
        "word2vec": "koembed.trainers.word2vec:Word2VecTrainer",
        "glove": "koembed.trainers.glove:GloVeTrainer",
        "ppmi": "koembed.trainers.ppmi:PPMITrainer",
        "fasttext": "koembed.trainers.fasttext:FastTextTrainer",
        "lsa": "koembed.trainers.lsa:LsaTrainer",
        "swivel": "koembed.trainers.swivel:SwivelTrainer",
        "doc2vec": "koembed.documents.doc2vec:Doc2VecTrainer",
        "sif": "koembed.documents.sif:SifTrainer",
        "lsa-doc": "koembed.documents.lsa:LsaDocTrainer",
        "lda": "koembed.documents.lda:LdaTrainer",
    },
    group="koembed.trainers",
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
        "lda": "koembed.documents.lda:LdaModel",
    },
)
