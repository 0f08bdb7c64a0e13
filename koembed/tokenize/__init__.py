"""Raw corpus -> tokenized corpus: the file, its manifest, the run, the cache.

``tokenize_corpus`` tokenizes a corpus into a file plus manifest (in this
process, in worker processes or on an engine such as Spark), ``open_tokenized``
opens one, and ``tokenize_cached`` keeps the tokenized copies of raw corpora
that ``koembed train METHOD RAW --tokenizer NAME`` trains on.
"""

from koembed.tokenize.cache import tokenize_cached
from koembed.tokenize.corpus import TokenizedCorpus, manifest_path, open_tokenized
from koembed.tokenize.run import tokenize_corpus

__all__ = [
    "TokenizedCorpus",
    "manifest_path",
    "open_tokenized",
    "tokenize_cached",
    "tokenize_corpus",
]
