"""koembed: Korean text to word vectors in one command, with honest evaluation.

The flow::

    read_corpus -> tokenize_corpus -> train -> Embeddings.save / load -> most_similar
                                                        -> evaluate_model / analogy
"""

from koembed.documents import train_documents
from koembed.errors import (
    BadInputError,
    DownloadError,
    KoembedError,
    MissingDependencyError,
    OutputExistsError,
    PluginError,
    UnknownNameError,
)
from koembed.evaluate import (
    analogy,
    doesnt_match,
    evaluate_analogies,
    evaluate_model,
    evaluate_word_pairs,
    similarity,
)
from koembed.models import Embeddings, UnknownWordError, load
from koembed.models.documents import DocumentModel
from koembed.registry import TOKENIZERS, TRAINERS
from koembed.text.corpus import Corpus, read_corpus
from koembed.text.userdict import load_user_dict
from koembed.tokenize import TokenizedCorpus, open_tokenized, tokenize_corpus
from koembed.tokenizers import TextPipeline, create_tokenizer
from koembed.tokenizers.trained import load_tokenizer
from koembed.trainers import train
from koembed.versions import __version__

__all__ = [
    "TOKENIZERS",
    "TRAINERS",
    "BadInputError",
    "Corpus",
    "DocumentModel",
    "DownloadError",
    "Embeddings",
    "KoembedError",
    "MissingDependencyError",
    "OutputExistsError",
    "PluginError",
    "TextPipeline",
    "TokenizedCorpus",
    "UnknownNameError",
    "UnknownWordError",
    "__version__",
    "analogy",
    "create_tokenizer",
    "doesnt_match",
    "evaluate_analogies",
    "evaluate_model",
    "evaluate_word_pairs",
    "load",
    "load_tokenizer",
    "load_user_dict",
    "open_tokenized",
    "read_corpus",
    "similarity",
    "tokenize_corpus",
    "train",
    "train_documents",
]
